#include "core/es/fitness_shaping.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace mnemo {
namespace {

// True when a ranks strictly above b (NaN below every number).
bool Better(double a, double b) {
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a > b;
}

// True when neither ranks above the other (equal numbers, or both NaN).
bool Tied(double a, double b) { return !Better(a, b) && !Better(b, a); }

}  // namespace

std::vector<int> OrderBestFirst(std::span<const double> fitness) {
  std::vector<int> order(fitness.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return Better(fitness[a], fitness[b]); });
  return order;
}

Vec CenteredRanks(std::span<const double> fitness) {
  const int n = static_cast<int>(fitness.size());
  Vec shaped = Vec::Zero(n);
  if (n < 2) return shaped;
  const std::vector<int> order = OrderBestFirst(fitness);
  const double scale = 1.0 / (n - 1);
  // Walk groups of tied values; the best has rank n - 1, the worst 0.
  for (int begin = 0; begin < n;) {
    int end = begin + 1;
    while (end < n && Tied(fitness[order[end]], fitness[order[begin]])) ++end;
    const double mean_rank = (n - 1) - 0.5 * (begin + end - 1);
    for (int i = begin; i < end; ++i) {
      shaped[order[i]] = mean_rank * scale - 0.5;
    }
    begin = end;
  }
  return shaped;
}

std::vector<int> TopDirections(std::span<const double> plus, std::span<const double> minus, int b) {
  assert(plus.size() == minus.size());
  assert(b >= 0 && b <= static_cast<int>(plus.size()));
  std::vector<double> score(plus.size());
  for (std::size_t k = 0; k < plus.size(); ++k) {
    score[k] = Better(minus[k], plus[k]) ? minus[k] : plus[k];
  }
  std::vector<int> order = OrderBestFirst(score);
  order.resize(b);
  return order;
}

double PopulationStd(std::span<const double> values) {
  if (values.empty()) return 0.0;
  const double n = static_cast<double>(values.size());
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= n;
  double sum_sq = 0.0;
  for (double v : values) sum_sq += (v - mean) * (v - mean);
  return std::sqrt(sum_sq / n);
}

}  // namespace mnemo
