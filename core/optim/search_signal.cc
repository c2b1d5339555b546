#include "core/optim/search_signal.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mnemo {

ReturnStats SummarizeReturns(std::span<const double> fitness) {
  ReturnStats r;
  if (fitness.empty()) return r;
  const double n = static_cast<double>(fitness.size());
  r.mean = std::accumulate(fitness.begin(), fitness.end(), 0.0) / n;
  double squares = 0.0;
  for (double f : fitness) squares += (f - r.mean) * (f - r.mean);
  r.spread = std::sqrt(squares / n);
  r.best = *std::max_element(fitness.begin(), fitness.end());
  r.best_so_far = r.best;
  return r;
}

SearchSignal GradientSignal(const Vec& ascent, double sigma) {
  SearchSignal s;
  s.ascent = ascent;
  s.nominal_step = sigma * ascent;
  s.sigma = sigma;
  return s;
}

}  // namespace mnemo
