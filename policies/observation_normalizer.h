// Observation normalization: running statistics and a frozen snapshot.
#pragma once

#include "core/math/running_stats.h"
#include "core/math/types.h"

namespace mnemo {

// Normalizes observations as (obs - mean) / std with statistics gathered
// from rollouts. Rollouts read a frozen snapshot (Normalize); new
// statistics are merged in between batches, in a fixed order, and take
// effect at the next Refresh.
class ObservationNormalizer {
 public:
  ObservationNormalizer() = default;
  // Identity normalization over `dim` dimensions, no samples yet.
  explicit ObservationNormalizer(int dim);

  // Writes (obs - mean) / std of the current snapshot into `out`.
  void Normalize(const double* obs, double* out) const;
  // Adds per-rollout statistics (call in rollout order for determinism).
  void Merge(const RunningStats& increment);
  // Makes the snapshot equal to the statistics so far.
  void Refresh();

  int Dim() const { return stats_.Dim(); }
  // All statistics merged so far.
  const RunningStats& Stats() const { return stats_; }
  // Replaces the statistics and refreshes the snapshot.
  void SetStats(const RunningStats& stats);
  // Snapshot mean.
  const Vec& Mean() const { return mean_; }

 private:
  RunningStats stats_;
  Vec mean_;
  Vec inv_std_;
};

}  // namespace mnemo
