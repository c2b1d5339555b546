#include "core/optim/adaptive_step_size.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/math/rank_sum.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

constexpr double kLowest = -std::numeric_limits<double>::infinity();

// Whether every number of `xs` is finite.
bool AllFinite(const std::vector<double>& xs) {
  return std::all_of(xs.begin(), xs.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

std::vector<std::string> AdaptiveStepSettings::Keys() {
  return {"initial_gain",        "start_growth",     "start_exit_errors", "agreement_rate",
          "agreement_smoothing", "agreement_target", "collapse_spreads",  "rank_collapse_z",
          "rank_min_returns",    "max_gain"};
}

AdaptiveStepSettings AdaptiveStepSettings::FromConfig(const ConfigNode& config) {
  AdaptiveStepSettings s;
  s.max_gain = config.GetDouble("max_gain", s.max_gain, 1.0, 1e6);
  s.initial_gain = config.GetDouble("initial_gain", s.initial_gain, 1e-6, 1e6);
  if (s.initial_gain > s.max_gain || s.initial_gain < 1.0 / s.max_gain) {
    throw config.ErrorAt("initial_gain", "must lie within [1/max_gain, max_gain]");
  }
  s.start_growth = config.GetDouble("start_growth", s.start_growth, 1.0, 10.0);
  s.start_exit_errors = config.GetDouble("start_exit_errors", s.start_exit_errors, 0.0, 100.0);
  s.agreement_rate = config.GetDouble("agreement_rate", s.agreement_rate, 0.0, 10.0);
  s.agreement_smoothing = config.GetDouble("agreement_smoothing", s.agreement_smoothing, 1e-6, 1.0);
  s.agreement_target = config.GetDouble("agreement_target", s.agreement_target, -1.0, 1.0);
  s.collapse_spreads = config.GetDouble("collapse_spreads", s.collapse_spreads, 0.0, 1e6);
  s.rank_collapse_z = config.GetDouble("rank_collapse_z", s.rank_collapse_z, 0.0, 100.0);
  s.rank_min_returns =
      static_cast<int>(config.GetInt("rank_min_returns", s.rank_min_returns, 2, 1 << 20));
  return s;
}

AdaptiveStepSize::AdaptiveStepSize(const AdaptiveStepSettings& settings)
    : settings_(settings), max_log_gain_(std::log(settings.max_gain)) {
  Reset(0);
}

void AdaptiveStepSize::Reset(int size) {
  size_ = size;
  log_gain_ = std::log(settings_.initial_gain);
  starting_ = settings_.start_growth > 1.0;
  suspect_ = false;
  agreements_ = 0;
  agreement_ = 0.0;
  last_step_.resize(0);
  best_mean_ = kLowest;
  best_spread_ = 0.0;
  best_theta_.resize(0);
  window_.clear();
  rank_reference_.clear();
  rank_reference_mean_ = kLowest;
  rank_theta_.resize(0);
}

bool AdaptiveStepSize::Observe(const SearchSignal& signal, Vec* theta) {
  // The task's own returns where the signal has them, else the fitness's
  // summary (a signal built by hand).
  const bool have_returns = !signal.task_returns.empty() && AllFinite(signal.task_returns);
  const ReturnStats stats = have_returns ? SummarizeReturns(signal.task_returns) : signal.returns;
  const double mean = stats.mean;
  const double spread = stats.spread;
  if (best_theta_.size() > 0 && SpreadCollapse(mean, spread)) {
    // Fewer returns than the rank test pools are too few to blame the step
    // size: theta goes back, the gain stays.
    const bool conclusive =
        !have_returns ||
        signal.task_returns.size() >= static_cast<std::size_t>(settings_.rank_min_returns);
    // A fall that would halve the gain must be confirmed by the next batch,
    // at the same theta (no step in between): a one-off dip costs one
    // iteration without a step, a real fall one more batch at the bad point.
    if (conclusive && !suspect_) {
      suspect_ = true;
      return false;
    }
    suspect_ = false;
    Collapse(best_theta_, conclusive, theta);
    return false;
  }
  suspect_ = false;
  if (have_returns && RankCollapse(signal.task_returns, *theta)) {
    Collapse(rank_theta_, /*blame_step=*/true, theta);
    return false;
  }
  if (std::isfinite(mean) && mean > best_mean_) {
    best_mean_ = mean;
    best_spread_ = spread;
    best_theta_ = *theta;
  }
  if (!signal.nominal_step.allFinite()) return false;
  Adapt(signal.nominal_step);
  return true;
}

void AdaptiveStepSize::Adapt(const Vec& step) {
  if (last_step_.size() > 0) {
    const double a = settings_.agreement_smoothing;
    agreement_ = (1.0 - a) * agreement_ + a * Cosine(step);
    ++agreements_;
    log_gain_ =
        std::clamp(log_gain_ + settings_.agreement_rate * (agreement_ - settings_.agreement_target),
                   -max_log_gain_, max_log_gain_);
  }
  last_step_ = step;
  if (!starting_) return;
  // The average's standard error where successive steps are unrelated: a
  // cosine in `size_` dimensions has variance 1/size_, the average a / (2 - a)
  // of it.
  const double a = settings_.agreement_smoothing;
  const double error = std::sqrt(a / (2.0 - a) / std::max(size_, 1));
  if (agreements_ >= 3 &&
      agreement_ - settings_.agreement_target < -settings_.start_exit_errors * error) {
    starting_ = false;
    return;
  }
  log_gain_ = std::min(log_gain_ + std::log(settings_.start_growth), max_log_gain_);
}

void AdaptiveStepSize::Collapse(const Vec& point, bool blame_step, Vec* theta) {
  // Back to the point, which is measured afresh next iteration, and the slow
  // start is over; when the step is to blame, with half the gain.
  *theta = point;
  if (blame_step) log_gain_ = std::max(log_gain_ - std::log(2.0), -max_log_gain_);
  starting_ = false;
  agreement_ = 0.0;
  agreements_ = 0;
  last_step_.resize(0);
  best_mean_ = kLowest;
  best_theta_.resize(0);
  window_.clear();
  rank_reference_.clear();
  rank_reference_mean_ = kLowest;
  rank_theta_.resize(0);
}

bool AdaptiveStepSize::SpreadCollapse(double mean, double spread) const {
  if (!std::isfinite(mean)) return false;
  return mean < best_mean_ - settings_.collapse_spreads * std::max(spread, best_spread_);
}

bool AdaptiveStepSize::RankCollapse(const std::vector<double>& returns, const Vec& theta) {
  if (settings_.rank_collapse_z <= 0.0) return false;
  // The window holds the fewest latest batches with rank_min_returns returns.
  const std::size_t batches =
      (static_cast<std::size_t>(settings_.rank_min_returns) + returns.size() - 1) / returns.size();
  window_.push_back(returns);
  while (window_.size() > batches) window_.erase(window_.begin());
  if (window_.size() < batches) return false;
  std::vector<double> pooled;
  for (const auto& batch : window_) pooled.insert(pooled.end(), batch.begin(), batch.end());
  if (rank_theta_.size() > 0 && RankSumZ(pooled, rank_reference_) < -settings_.rank_collapse_z) {
    return true;
  }
  const double mean = SummarizeReturns(pooled).mean;
  if (rank_theta_.size() == 0 || mean > rank_reference_mean_) {
    rank_reference_ = std::move(pooled);
    rank_reference_mean_ = mean;
    rank_theta_ = theta;
  }
  return false;
}

double AdaptiveStepSize::Gain() const { return std::exp(log_gain_); }

double AdaptiveStepSize::Cosine(const Vec& step) const {
  const double norms = step.norm() * last_step_.norm();
  return norms > 0.0 ? step.dot(last_step_) / norms : 0.0;
}

void AdaptiveStepSize::Save(BinaryWriter& out) const {
  out.WriteDouble(log_gain_);
  out.WriteI64(starting_ ? 1 : 0);
  out.WriteI64(agreements_);
  out.WriteDouble(agreement_);
  out.WriteVec(last_step_);
  out.WriteDouble(best_mean_);
  out.WriteDouble(best_spread_);
  out.WriteVec(best_theta_);
  out.WriteI64(static_cast<std::int64_t>(window_.size()));
  for (const auto& batch : window_)
    out.WriteVec(Vec(Eigen::Map<const Vec>(batch.data(), batch.size())));
  out.WriteVec(Vec(Eigen::Map<const Vec>(rank_reference_.data(), rank_reference_.size())));
  out.WriteDouble(rank_reference_mean_);
  out.WriteVec(rank_theta_);
  out.WriteI64(suspect_ ? 1 : 0);
}

void AdaptiveStepSize::Load(BinaryReader& in) {
  const auto fail = [] { return Error("adaptive step size state: does not fit this updater"); };
  log_gain_ = in.ReadDouble();
  const std::int64_t starting = in.ReadI64();
  agreements_ = in.ReadI64();
  agreement_ = in.ReadDouble();
  last_step_ = in.ReadVec();
  best_mean_ = in.ReadDouble();
  best_spread_ = in.ReadDouble();
  best_theta_ = in.ReadVec();
  const std::int64_t batches = in.ReadI64();
  if (starting < 0 || starting > 1 || agreements_ < 0 || batches < 0 ||
      batches > settings_.rank_min_returns) {
    throw fail();
  }
  starting_ = starting == 1;
  window_.clear();
  for (std::int64_t b = 0; b < batches; ++b) {
    const Vec batch = in.ReadVec();
    if (batch.size() == 0 || !batch.allFinite()) throw fail();
    window_.emplace_back(batch.data(), batch.data() + batch.size());
  }
  const Vec reference = in.ReadVec();
  rank_reference_.assign(reference.data(), reference.data() + reference.size());
  rank_reference_mean_ = in.ReadDouble();
  rank_theta_ = in.ReadVec();
  const std::int64_t suspect = in.ReadI64();
  if (suspect < 0 || suspect > 1) throw fail();
  suspect_ = suspect == 1;
  const auto fits = [&](const Vec& v) { return v.size() == 0 || v.size() == size_; };
  if (!fits(last_step_) || !fits(best_theta_) || !fits(rank_theta_) || !std::isfinite(log_gain_) ||
      std::abs(log_gain_) > max_log_gain_ + 1e-12 || !std::isfinite(agreement_) ||
      !reference.allFinite() || (rank_theta_.size() > 0) != !rank_reference_.empty()) {
    throw fail();
  }
}

}  // namespace mnemo
