#include "core/math/rank_sum.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace mnemo {

double RankSumZ(std::span<const double> sample, std::span<const double> reference) {
  const double n1 = static_cast<double>(sample.size());
  const double n2 = static_cast<double>(reference.size());
  if (sample.empty() || reference.empty()) return 0.0;
  std::vector<double> all(sample.begin(), sample.end());
  all.insert(all.end(), reference.begin(), reference.end());
  std::vector<std::size_t> order(all.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return all[a] < all[b]; });
  // Ranks 1..n, ties at their average; sum over the sample's; tie term.
  double sample_rank_sum = 0.0;
  double ties = 0.0;  // sum of t^3 - t over groups of t equal numbers
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && all[order[j + 1]] == all[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      if (order[k] < sample.size()) sample_rank_sum += rank;
    }
    const double t = static_cast<double>(j - i + 1);
    ties += t * t * t - t;
    i = j + 1;
  }
  const double n = n1 + n2;
  const double u = sample_rank_sum - n1 * (n1 + 1.0) / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
  if (!(variance > 0.0)) return 0.0;
  return (u - n1 * n2 / 2.0) / std::sqrt(variance);
}

}  // namespace mnemo
