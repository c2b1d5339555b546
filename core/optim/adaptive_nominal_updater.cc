// The estimator's own step with its size adapted in the run, so that a step
// size off by a factor of several is corrected without tuning:
//   step    = exp(l) * nominal step
//   l      += rate * a,  a = EMA of cos(nominal_t, nominal_t-1)   (agreement)
// and when the candidates' mean return falls more than `collapse_spreads`
// spreads below the best mean seen, theta goes back to where that best mean
// was measured and l drops by ln 2. l stays within +-ln(max_gain).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The adaptive nominal rule (see the top of this file).
class AdaptiveNominalUpdater : public Updater {
 public:
  // Keys: initial_gain (1), agreement_rate (0.3), agreement_smoothing
  // (0.2), collapse_spreads (1), max_gain (8).
  explicit AdaptiveNominalUpdater(const ConfigNode& config) {
    AllowUpdaterKeys(config, {"initial_gain", "agreement_rate", "agreement_smoothing",
                              "collapse_spreads", "max_gain"});
    max_log_gain_ = std::log(config.GetDouble("max_gain", 8.0, 1.0, 1e6));
    initial_log_gain_ = std::log(config.GetDouble("initial_gain", 1.0, 1e-6, 1e6));
    if (std::abs(initial_log_gain_) > max_log_gain_) {
      throw config.ErrorAt("initial_gain", "must lie within [1/max_gain, max_gain]");
    }
    rate_ = config.GetDouble("agreement_rate", 0.3, 0.0, 10.0);
    smoothing_ = config.GetDouble("agreement_smoothing", 0.2, 1e-6, 1.0);
    collapse_spreads_ = config.GetDouble("collapse_spreads", 1.0, 0.0, 1e6);
  }

  std::string Name() const override { return "nominal_adaptive"; }

  void Reset(const ParamLayout& layout) override {
    size_ = layout.Size();
    log_gain_ = initial_log_gain_;
    agreement_ = 0.0;
    last_step_.resize(0);
    best_mean_ = -std::numeric_limits<double>::infinity();
    best_spread_ = 0.0;
    best_theta_.resize(0);
  }

  void Step(const SearchSignal& signal, Vec* theta, double* /*next_sigma*/) override {
    CheckStepSizes(Name(), size_, signal, *theta);
    TakeStep(signal, theta);
    if (inspect_) gains_.push_back(std::exp(log_gain_));
  }

  void SetInspection(bool on) override {
    inspect_ = on;
    gains_.clear();
  }

  // While inspection is on: the gain exp(l) after each step, oldest first,
  // as the series "gain" (its last entry is the current gain).
  UpdaterView Inspect() const override {
    UpdaterView view;
    view.kind = Name();
    if (!inspect_) return view;
    Mat series(static_cast<Eigen::Index>(gains_.size()), 1);
    for (std::size_t i = 0; i < gains_.size(); ++i) series(Eigen::Index(i), 0) = gains_[i];
    view.panels.push_back({"gain", series});
    return view;
  }

  void SaveState(BinaryWriter& out) const override {
    out.WriteDouble(log_gain_);
    out.WriteDouble(agreement_);
    out.WriteVec(last_step_);
    out.WriteDouble(best_mean_);
    out.WriteDouble(best_spread_);
    out.WriteVec(best_theta_);
  }

  void LoadState(BinaryReader& in) override {
    log_gain_ = in.ReadDouble();
    agreement_ = in.ReadDouble();
    last_step_ = in.ReadVec();
    best_mean_ = in.ReadDouble();
    best_spread_ = in.ReadDouble();
    best_theta_ = in.ReadVec();
    const bool sizes = (last_step_.size() == 0 || last_step_.size() == size_) &&
                       (best_theta_.size() == 0 || best_theta_.size() == size_);
    if (!sizes || !std::isfinite(log_gain_) || std::abs(log_gain_) > max_log_gain_ ||
        !std::isfinite(agreement_)) {
      throw Error("nominal_adaptive state: does not fit this updater");
    }
  }

 private:
  // The step of the rule (see the top of this file).
  void TakeStep(const SearchSignal& signal, Vec* theta) {
    const double mean = signal.returns.mean;
    const double spread = signal.returns.spread;
    if (best_theta_.size() > 0 && Collapsed(mean, spread)) {
      // Back to the best point, with a smaller step; its return is measured
      // afresh next iteration.
      *theta = best_theta_;
      log_gain_ = std::max(log_gain_ - std::log(2.0), -max_log_gain_);
      agreement_ = 0.0;
      last_step_.resize(0);
      best_mean_ = -std::numeric_limits<double>::infinity();
      return;
    }
    if (std::isfinite(mean) && mean > best_mean_) {
      best_mean_ = mean;
      best_spread_ = spread;
      best_theta_ = *theta;
    }
    if (!signal.nominal_step.allFinite()) return;
    if (last_step_.size() > 0) {
      agreement_ = (1.0 - smoothing_) * agreement_ + smoothing_ * Cosine(signal.nominal_step);
      log_gain_ = std::clamp(log_gain_ + rate_ * agreement_, -max_log_gain_, max_log_gain_);
    }
    last_step_ = signal.nominal_step;
    *theta += std::exp(log_gain_) * signal.nominal_step;
  }

  // Whether the candidates' mean return fell too far below the best mean.
  bool Collapsed(double mean, double spread) const {
    if (!std::isfinite(mean)) return false;
    return mean < best_mean_ - collapse_spreads_ * std::max(spread, best_spread_);
  }

  // cos(step, last step); 0 when either is zero.
  double Cosine(const Vec& step) const {
    const double norms = step.norm() * last_step_.norm();
    return norms > 0.0 ? step.dot(last_step_) / norms : 0.0;
  }

  // Settings.
  double initial_log_gain_ = 0.0;  // l at the start
  double max_log_gain_ = 0.0;      // |l| bound
  double rate_ = 0.3;              // l's change per unit of agreement
  double smoothing_ = 0.2;         // EMA weight of the newest cosine
  double collapse_spreads_ = 1.0;  // a fall of this many spreads is a collapse
  // State.
  int size_ = 0;               // vector size given to Reset
  double log_gain_ = 0.0;      // l
  double agreement_ = 0.0;     // EMA of successive cosines
  Vec last_step_;              // the previous nominal step (empty: none)
  double best_mean_ = 0.0;     // best candidates' mean return since the last collapse
  double best_spread_ = 0.0;   // the spread when it was measured
  Vec best_theta_;             // theta where it was measured (empty: none)
  bool inspect_ = false;       // whether gains_ is recorded
  std::vector<double> gains_;  // the gain after each step while inspected
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
