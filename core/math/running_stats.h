// Running mean and variance per dimension, mergeable across workers.
#pragma once

#include <cstdint>
#include <span>

#include "core/math/types.h"

namespace mnemo {

// Count, mean and sum of squared deviations per dimension (Welford), merged
// with Chan et al.'s parallel formula so that per-worker statistics combine
// into the statistics of the whole batch.
class RunningStats {
 public:
  RunningStats() = default;
  // Empty statistics over `dim` dimensions.
  explicit RunningStats(int dim);

  // Adds one sample.
  void Push(std::span<const double> x);
  // Adds all samples summarised by `other` (same dimension).
  void Merge(const RunningStats& other);

  // Number of dimensions.
  int Dim() const { return static_cast<int>(mean_.size()); }
  // Number of samples seen.
  std::int64_t Count() const { return count_; }
  // Mean per dimension (zeros when empty).
  const Vec& Mean() const { return mean_; }
  // Sum of squared deviations from the mean, per dimension.
  const Vec& SquaredDeviations() const { return m2_; }
  // Population variance per dimension (zeros with fewer than two samples).
  Vec Variance() const;

  // Rebuilds statistics from stored numbers (for policy files); inconsistent
  // numbers (sizes that differ, a negative count or deviation) are an Error.
  static RunningStats FromMoments(std::int64_t count, Vec mean, Vec m2);

 private:
  std::int64_t count_ = 0;
  Vec mean_;
  Vec m2_;
};

}  // namespace mnemo
