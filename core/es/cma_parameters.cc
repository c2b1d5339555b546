#include "core/es/cma_parameters.h"

#include <algorithm>
#include <cmath>

namespace mnemo {

int CmaParameters::DefaultPopulation(int dim) {
  return 4 + static_cast<int>(std::floor(3.0 * std::log(std::max(dim, 1))));
}

CmaParameters CmaParameters::Make(int dim, int lambda, bool diagonal) {
  CmaParameters p;
  const double n = dim;
  p.dim = dim;
  p.lambda = lambda;
  p.mu = std::max(1, lambda / 2);
  p.diagonal = diagonal;

  p.weights.resize(p.mu);
  for (int i = 0; i < p.mu; ++i) {
    p.weights[i] = std::log((lambda + 1) / 2.0) - std::log(i + 1.0);
  }
  p.weights /= p.weights.sum();
  p.mu_eff = 1.0 / p.weights.squaredNorm();

  const double mu_eff = p.mu_eff;
  p.cs = (mu_eff + 2.0) / (n + mu_eff + 5.0);
  p.ds = 1.0 + 2.0 * std::max(0.0, std::sqrt((mu_eff - 1.0) / (n + 1.0)) - 1.0) + p.cs;
  p.cc = (4.0 + mu_eff / n) / (n + 4.0 + 2.0 * mu_eff / n);
  constexpr double kAlphaCov = 2.0;
  p.c1 = kAlphaCov / ((n + 1.3) * (n + 1.3) + mu_eff);
  // The tutorial's rank-mu rate (Table 1). pycma adds 1/4 to the
  // numerator (its rankmu_offset); the tutorial does not.
  p.cmu = std::min(1.0 - p.c1, kAlphaCov * (mu_eff - 2.0 + 1.0 / mu_eff) /
                                   ((n + 2.0) * (n + 2.0) + kAlphaCov * mu_eff / 2.0));
  if (diagonal) {
    // Ros & Hansen: a diagonal covariance can be learned (n + 2) / 3 times
    // faster.
    const double boost = (n + 2.0) / 3.0;
    p.c1 = std::min(1.0, p.c1 * boost);
    p.cmu = std::min(1.0 - p.c1, p.cmu * boost);
  }
  p.chi_n = std::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));
  // The tutorial's O(n^2)-per-sample schedule for the eigendecomposition.
  p.eigen_period =
      diagonal ? 1 : std::max(1, static_cast<int>(std::floor(1.0 / (10.0 * n * (p.c1 + p.cmu)))));
  return p;
}

}  // namespace mnemo
