// Plain gradient ascent: theta += lr * ascent.
#include "core/optim/updater.h"

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

  std::string Name() const override { return "sgd"; }
  void Reset(const ParamLayout& layout) override { size_ = layout.Size(); }
  void Step(const Vec& ascent, Vec* theta) override {
    CheckStepSizes(Name(), size_, ascent, *theta);
    *theta += lr_ * ascent;
  }
  // SGD keeps no state between steps.
  void SaveState(BinaryWriter& /*out*/) const override {}
  void LoadState(BinaryReader& /*in*/) override {}

 private:
  double lr_;
  int size_ = 0;
};

MNEMO_REGISTER(UpdaterRegistry, "sgd", "gradient ascent, theta += lr * g",
               [](const ConfigNode& c) -> std::unique_ptr<Updater> {
                 return std::make_unique<SgdUpdater>(c);
               });

}  // namespace
}  // namespace mnemo
