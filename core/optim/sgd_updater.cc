// Plain gradient ascent: theta += lr * ascent.
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// The simplest updater; with the ARS estimator it is the ARS rule.
class SgdUpdater : public Updater {
 public:
  // Reads `lr` from the config section.
  explicit SgdUpdater(const ConfigNode& config) {
    AllowUpdaterKeys(config, {"lr"});
    lr_ = config.GetDouble("lr", 0.01, 0.0, 1e6);
  }

  // "sgd".
  std::string Name() const override { return "sgd"; }
  // Only records the size.
  void Reset(const ParamLayout& layout) override { size_ = layout.Size(); }
  // theta += lr * ascent.
  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    const Vec& ascent = signal.ascent;
    CheckStepSizes(Name(), size_, signal, *theta);
    *theta += lr_ * ascent;
  }
  // SGD keeps no state between steps.
  void SaveState(BinaryWriter& /*out*/) const override {}
  void LoadState(BinaryReader& /*in*/) override {}

 private:
  double lr_;     // learning rate
  int size_ = 0;  // vector size given to Reset
};

}  // namespace

UpdaterRegistry::Entry SgdEntry() {
  return {"sgd", "gradient ascent, theta += lr * g",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<SgdUpdater>(c);
          }};
}

}  // namespace mnemo
