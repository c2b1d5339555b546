// The estimator's own step: theta += nominal step. With the ARS estimator
// this is the ARS rule, theta += alpha / (b sigma_R) sum (r+ - r-) delta.
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// Takes the step the estimator proposes, times a constant gain (1: as it
// is; other gains are the ablation "ARS with a retuned alpha").
class NominalUpdater : public Updater {
 public:
  // `gain` (default 1) multiplies the step; the step size itself is the
  // estimator's (`search.step_size`).
  explicit NominalUpdater(const ConfigNode& config) {
    AllowUpdaterKeys(config, {"gain"});
    gain_ = config.GetDouble("gain", 1.0, 1e-6, 1e6);
  }

  std::string Name() const override { return "nominal"; }
  void Reset(const ParamLayout& layout) override { size_ = layout.Size(); }
  // theta += gain * nominal step.
  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    CheckStepSizes(Name(), size_, signal, *theta);
    if (gain_ == 1.0) {
      *theta += signal.nominal_step;
    } else {
      *theta += gain_ * signal.nominal_step;
    }
  }
  // No state between steps.
  void SaveState(BinaryWriter& /*out*/) const override {}
  void LoadState(BinaryReader& /*in*/) override {}

 private:
  int size_ = 0;       // vector size given to Reset
  double gain_ = 1.0;  // multiplies the estimator's step
};

}  // namespace

UpdaterRegistry::Entry NominalEntry() {
  return {"nominal", "the estimator's own step (with ARS: the ARS rule, alpha g), times `gain` (1)",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<NominalUpdater>(c);
          }};
}

}  // namespace mnemo
