// The estimator's own step with its size adapted in the run (the rule of
// core/optim/adaptive_step_size.h): theta += gain * nominal step, or back to
// the best point after a collapse of the returns.

#include "core/optim/adaptive_step_size.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// The settings of an updater section: the rule's keys only.
AdaptiveStepSettings SettingsOf(const ConfigNode& config) {
  AllowUpdaterKeys(config, AdaptiveStepSettings::Keys());
  return AdaptiveStepSettings::FromConfig(config);
}

// The adaptive nominal rule.
class AdaptiveNominalUpdater : public Updater {
 public:
  // Keys: those of AdaptiveStepSettings.
  explicit AdaptiveNominalUpdater(const ConfigNode& config) : rule_(SettingsOf(config)) {}

  std::string Name() const override { return "nominal_adaptive"; }

  void Reset(const ParamLayout& layout) override {
    size_ = layout.Size();
    rule_.Reset(size_);
  }

  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    CheckStepSizes(Name(), size_, signal, *theta);
    if (rule_.Observe(signal, theta)) *theta += rule_.Gain() * signal.nominal_step;
  }

  void SetInspection(bool on) override { inspect_ = on; }

  // While inspection is on: the current gain on the nominal step, as the
  // panel "run.anchor_gain" (1 x 1, as the anchored controller names it;
  // the viewer draws its history over the snapshots).
  UpdaterView Inspect() const override {
    UpdaterView view;
    view.kind = Name();
    if (inspect_) view.panels.push_back({"run.anchor_gain", Mat::Constant(1, 1, rule_.Gain())});
    return view;
  }

  void SaveState(BinaryWriter& out) const override { rule_.Save(out); }
  void LoadState(BinaryReader& in) override { rule_.Load(in); }

 private:
  AdaptiveStepSize rule_;  // the gain and its state
  int size_ = 0;           // vector size given to Reset
  bool inspect_ = false;   // whether Inspect shows the gain
};

}  // namespace

UpdaterRegistry::Entry NominalAdaptiveEntry() {
  return {"nominal_adaptive",
          "the estimator's own step, its size adapted in the run from the agreement of "
          "successive steps, cut (and theta taken back to the best point) when the returns "
          "collapse",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<AdaptiveNominalUpdater>(c);
          }};
}

}  // namespace mnemo
