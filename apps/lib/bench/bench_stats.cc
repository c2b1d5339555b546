#include "apps/lib/bench/bench_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mnemo {

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double h = (double(values.size()) - 1) * std::clamp(q, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - double(lo);
  if (frac == 0 || lo + 1 >= values.size()) return values[lo];
  const double a = values[lo];
  const double b = values[lo + 1];
  if (std::isinf(b)) return b;  // towards +infinity (a == b == inf included)
  return a + frac * (b - a);
}

double Median(const std::vector<double>& values) { return Quantile(values, 0.5); }

Quartiles QuartilesOf(const std::vector<double>& values) {
  return {Quantile(values, 0.25), Quantile(values, 0.5), Quantile(values, 0.75)};
}

double SuccessRate(const std::vector<double>& episodes_to_threshold) {
  if (episodes_to_threshold.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto reached = std::count_if(episodes_to_threshold.begin(), episodes_to_threshold.end(),
                                     [](double e) { return std::isfinite(e); });
  return double(reached) / double(episodes_to_threshold.size());
}

double EpisodesToThreshold(const std::vector<EvalPoint>& curve, double threshold) {
  for (const EvalPoint& p : curve) {
    if (p.eval_return >= threshold) return p.episodes;
  }
  return std::numeric_limits<double>::infinity();
}

double FinalReturn(const std::vector<EvalPoint>& curve) {
  return curve.empty() ? std::numeric_limits<double>::quiet_NaN() : curve.back().eval_return;
}

double MeanReturn(const std::vector<EvalPoint>& curve) {
  if (curve.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double span = curve.back().episodes - curve.front().episodes;
  if (curve.size() == 1 || !(span > 0.0)) return curve.back().eval_return;
  double area = 0.0;
  for (std::size_t k = 1; k < curve.size(); ++k) {
    area += 0.5 * (curve[k].eval_return + curve[k - 1].eval_return) *
            (curve[k].episodes - curve[k - 1].episodes);
  }
  return area / span;
}

double ReturnAt(const std::vector<EvalPoint>& curve, double episodes) {
  double value = std::numeric_limits<double>::quiet_NaN();
  for (const EvalPoint& p : curve) {
    if (p.episodes > episodes) break;
    value = p.eval_return;
  }
  return value;
}

std::vector<BandPoint> CurveBand(const std::vector<std::vector<EvalPoint>>& runs, double budget,
                                 int points) {
  std::vector<BandPoint> band;
  if (runs.empty() || points < 1) return band;
  for (int k = 1; k <= points; ++k) {
    const double at = budget * double(k) / double(points);
    std::vector<double> values;
    for (const auto& run : runs) {
      values.push_back(k == points ? FinalReturn(run) : ReturnAt(run, at));
    }
    const bool all =
        std::all_of(values.begin(), values.end(), [](double v) { return !std::isnan(v); });
    if (all) band.push_back({at, QuartilesOf(values)});
  }
  return band;
}

}  // namespace mnemo
