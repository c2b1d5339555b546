#include "policies/observation_normalizer.h"

#include <cmath>

namespace mnemo {

// Standard deviations below this leave the dimension unscaled (as ARS).
constexpr double kMinStd = 1e-8;

ObservationNormalizer::ObservationNormalizer(int dim)
    : stats_(dim), mean_(Vec::Zero(dim)), inv_std_(Vec::Ones(dim)) {}

void ObservationNormalizer::Normalize(const double* obs, double* out) const {
  const int n = Dim();
  for (int i = 0; i < n; ++i) out[i] = (obs[i] - mean_[i]) * inv_std_[i];
}

void ObservationNormalizer::Merge(const RunningStats& increment) { stats_.Merge(increment); }

void ObservationNormalizer::Refresh() {
  mean_ = stats_.Mean();
  const Vec var = stats_.Variance();
  for (int i = 0; i < Dim(); ++i) {
    const double std = std::sqrt(var[i]);
    inv_std_[i] = std > kMinStd ? 1.0 / std : 1.0;
  }
}

void ObservationNormalizer::SetStats(const RunningStats& stats) {
  stats_ = stats;
  inv_std_ = Vec::Ones(stats.Dim());
  Refresh();
}

}  // namespace mnemo
