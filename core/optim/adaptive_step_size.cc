#include "core/optim/adaptive_step_size.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/error.h"

namespace mnemo {

std::vector<std::string> AdaptiveStepSettings::Keys() {
  return {"initial_gain",     "agreement_rate",   "agreement_smoothing",
          "agreement_target", "collapse_spreads", "max_gain"};
}

AdaptiveStepSettings AdaptiveStepSettings::FromConfig(const ConfigNode& config) {
  AdaptiveStepSettings s;
  s.max_gain = config.GetDouble("max_gain", s.max_gain, 1.0, 1e6);
  s.initial_gain = config.GetDouble("initial_gain", s.initial_gain, 1e-6, 1e6);
  if (s.initial_gain > s.max_gain || s.initial_gain < 1.0 / s.max_gain) {
    throw config.ErrorAt("initial_gain", "must lie within [1/max_gain, max_gain]");
  }
  s.agreement_rate = config.GetDouble("agreement_rate", s.agreement_rate, 0.0, 10.0);
  s.agreement_smoothing = config.GetDouble("agreement_smoothing", s.agreement_smoothing, 1e-6, 1.0);
  s.agreement_target = config.GetDouble("agreement_target", s.agreement_target, -1.0, 1.0);
  s.collapse_spreads = config.GetDouble("collapse_spreads", s.collapse_spreads, 0.0, 1e6);
  return s;
}

AdaptiveStepSize::AdaptiveStepSize(const AdaptiveStepSettings& settings)
    : settings_(settings), max_log_gain_(std::log(settings.max_gain)) {
  Reset(0);
}

void AdaptiveStepSize::Reset(int size) {
  size_ = size;
  log_gain_ = std::log(settings_.initial_gain);
  agreement_ = 0.0;
  last_step_.resize(0);
  best_mean_ = -std::numeric_limits<double>::infinity();
  best_spread_ = 0.0;
  best_theta_.resize(0);
}

bool AdaptiveStepSize::Observe(const SearchSignal& signal, Vec* theta) {
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
    return false;
  }
  if (std::isfinite(mean) && mean > best_mean_) {
    best_mean_ = mean;
    best_spread_ = spread;
    best_theta_ = *theta;
  }
  if (!signal.nominal_step.allFinite()) return false;
  if (last_step_.size() > 0) {
    const double a = settings_.agreement_smoothing;
    agreement_ = (1.0 - a) * agreement_ + a * Cosine(signal.nominal_step);
    log_gain_ =
        std::clamp(log_gain_ + settings_.agreement_rate * (agreement_ - settings_.agreement_target),
                   -max_log_gain_, max_log_gain_);
  }
  last_step_ = signal.nominal_step;
  return true;
}

double AdaptiveStepSize::Gain() const { return std::exp(log_gain_); }

bool AdaptiveStepSize::Collapsed(double mean, double spread) const {
  if (!std::isfinite(mean)) return false;
  return mean < best_mean_ - settings_.collapse_spreads * std::max(spread, best_spread_);
}

double AdaptiveStepSize::Cosine(const Vec& step) const {
  const double norms = step.norm() * last_step_.norm();
  return norms > 0.0 ? step.dot(last_step_) / norms : 0.0;
}

void AdaptiveStepSize::Save(BinaryWriter& out) const {
  out.WriteDouble(log_gain_);
  out.WriteDouble(agreement_);
  out.WriteVec(last_step_);
  out.WriteDouble(best_mean_);
  out.WriteDouble(best_spread_);
  out.WriteVec(best_theta_);
}

void AdaptiveStepSize::Load(BinaryReader& in) {
  log_gain_ = in.ReadDouble();
  agreement_ = in.ReadDouble();
  last_step_ = in.ReadVec();
  best_mean_ = in.ReadDouble();
  best_spread_ = in.ReadDouble();
  best_theta_ = in.ReadVec();
  const bool sizes = (last_step_.size() == 0 || last_step_.size() == size_) &&
                     (best_theta_.size() == 0 || best_theta_.size() == size_);
  if (!sizes || !std::isfinite(log_gain_) || std::abs(log_gain_) > max_log_gain_ + 1e-12 ||
      !std::isfinite(agreement_)) {
    throw Error("adaptive step size state: does not fit this updater");
  }
}

}  // namespace mnemo
