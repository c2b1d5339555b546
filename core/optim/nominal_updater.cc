// The estimator's own step: theta += nominal step. With the ARS estimator
// this is the ARS rule, theta += alpha / (b sigma_R) sum (r+ - r-) delta.
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// Takes the step the estimator proposes, as it is (its size is the
// estimator's `search.step_size`).
class NominalUpdater : public Updater {
 public:
  // Takes no keys but `type`.
  explicit NominalUpdater(const ConfigNode& config) { AllowUpdaterKeys(config, {}); }

  std::string Name() const override { return "nominal"; }
  void Reset(const ParamLayout& layout) override { size_ = layout.Size(); }
  // theta += nominal step.
  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    CheckStepSizes(Name(), size_, signal, *theta);
    *theta += signal.nominal_step;
  }
  // No state between steps.
  void SaveState(BinaryWriter& /*out*/) const override {}
  void LoadState(BinaryReader& /*in*/) override {}

 private:
  int size_ = 0;  // vector size given to Reset
};

}  // namespace

UpdaterRegistry::Entry NominalEntry() {
  return {"nominal", "the estimator's own step (with ARS: the ARS rule, alpha g)",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<NominalUpdater>(c);
          }};
}

}  // namespace mnemo
