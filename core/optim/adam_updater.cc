// Adam (Kingma & Ba, 2015) with bias correction and optional decoupled
// weight decay (as in AdamW), on the ascent direction.
#include <cmath>

#include "core/optim/updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {
namespace {

// theta += lr * m_hat / (sqrt(v_hat) + eps) - lr * weight_decay * theta.
class AdamUpdater : public Updater {
 public:
  // Reads lr, beta1, beta2, eps and weight_decay from the config section.
  explicit AdamUpdater(const ConfigNode& config) {
    AllowUpdaterKeys(config, {"lr", "beta1", "beta2", "eps", "weight_decay"});
    lr_ = config.GetDouble("lr", 1e-3, 0.0, 1e6);
    beta1_ = config.GetDouble("beta1", 0.9, 0.0, 0.999999);
    beta2_ = config.GetDouble("beta2", 0.999, 0.0, 0.999999999);
    eps_ = config.GetDouble("eps", 1e-8, 1e-300, 1.0);
    weight_decay_ = config.GetDouble("weight_decay", 0.0, 0.0, 1e3);
  }

  // "adam".
  std::string Name() const override { return "adam"; }
  // Zeroes both moments and the step count.
  void Reset(const ParamLayout& layout) override {
    m_ = Vec::Zero(layout.Size());
    v_ = Vec::Zero(layout.Size());
    t_ = 0;
  }
  // Updates the moments, then takes the bias-corrected step (after any decay).
  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    const Vec& ascent = signal.ascent;
    CheckStepSizes(Name(), static_cast<int>(m_.size()), signal, *theta);
    ++t_;
    m_ = beta1_ * m_ + (1.0 - beta1_) * ascent;
    v_ = beta2_ * v_ + (1.0 - beta2_) * ascent.cwiseAbs2();
    const double c1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
    const double c2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
    if (weight_decay_ > 0.0) *theta *= 1.0 - lr_ * weight_decay_;
    theta->array() += lr_ * (m_.array() / c1) / ((v_.array() / c2).sqrt() + eps_);
  }
  // Writes the step count and both moments.
  void SaveState(BinaryWriter& out) const override {
    out.WriteI64(t_);
    out.WriteVec(m_);
    out.WriteVec(v_);
  }
  // Restores what SaveState wrote; a size mismatch throws.
  void LoadState(BinaryReader& in) override {
    const std::int64_t t = in.ReadI64();
    Vec m = in.ReadVec();
    Vec v = in.ReadVec();
    if (t < 0 || m.size() != m_.size() || v.size() != v_.size()) {
      throw Error("adam state does not match the updater's size " + std::to_string(m_.size()));
    }
    t_ = t;
    m_ = std::move(m);
    v_ = std::move(v);
  }

 private:
  double lr_;            // learning rate
  double beta1_;         // decay of the first moment
  double beta2_;         // decay of the second moment
  double eps_;           // added to sqrt(v_hat)
  double weight_decay_;  // decoupled decay per step, times lr
  Vec m_;                // first moment
  Vec v_;                // second moment
  std::int64_t t_ = 0;   // steps taken
};

}  // namespace

UpdaterRegistry::Entry AdamEntry() {
  return {"adam", "Adam with bias correction (optional weight decay)",
          [](const ConfigNode& c) -> std::unique_ptr<Updater> {
            return std::make_unique<AdamUpdater>(c);
          }};
}

}  // namespace mnemo
