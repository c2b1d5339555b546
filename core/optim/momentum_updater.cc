// Heavy-ball momentum: v = mu * v + ascent, theta += lr * v.
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// Polyak's heavy-ball method on the ascent direction.
class MomentumUpdater : public Updater {
 public:
  // Reads `lr` and `momentum` from the config section.
  explicit MomentumUpdater(const ConfigNode& config) {
    AllowUpdaterKeys(config, {"lr", "momentum"});
    lr_ = config.GetDouble("lr", 0.01, 0.0, 1e6);
    momentum_ = config.GetDouble("momentum", 0.9, 0.0, 0.999999);
  }

  // "momentum".
  std::string Name() const override { return "momentum"; }
  // Zeroes the velocity.
  void Reset(const ParamLayout& layout) override { velocity_ = Vec::Zero(layout.Size()); }
  // v = momentum * v + ascent, theta += lr * v.
  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    const Vec& ascent = signal.ascent;
    CheckStepSizes(Name(), static_cast<int>(velocity_.size()), signal, *theta);
    velocity_ = momentum_ * velocity_ + ascent;
    *theta += lr_ * velocity_;
  }
  // Writes the velocity.
  void SaveState(BinaryWriter& out) const override { out.WriteVec(velocity_); }
  // Restores the velocity; a size mismatch throws.
  void LoadState(BinaryReader& in) override {
    Vec v = in.ReadVec();
    if (v.size() != velocity_.size()) {
      throw Error("momentum state has " + std::to_string(v.size()) +
                  " numbers, the updater was reset for " + std::to_string(velocity_.size()));
    }
    velocity_ = std::move(v);
  }

 private:
  double lr_;        // learning rate
  double momentum_;  // mu, the velocity's decay
  Vec velocity_;     // running sum of discounted ascent directions
};

}  // namespace

UpdaterRegistry::Entry MomentumEntry() {
  return {"momentum", "heavy-ball momentum, v = mu v + g, theta += lr * v",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<MomentumUpdater>(c);
          }};
}

}  // namespace mnemo
