// The optimizer snapshots of a run folder, read incrementally: the full
// view of each, and series over iterations (per-tensor step norms, the
// norm of every panel) for the optimizer panel's plots.
#pragma once

#include <string>
#include <vector>

#include "core/optim/updater.h"

namespace mnemo {

// All snapshots of one run folder (<run>/snapshots/optimizer_*.json).
class SnapshotHistory {
 public:
  // Snapshots in `dir` (which may not exist yet).
  explicit SnapshotHistory(std::string dir);

  // Reads snapshots written since the last call; returns whether any were
  // new. A malformed file is skipped and noted in Problems().
  bool Refresh();
  const std::string& Dir() const { return dir_; }
  // Whether no snapshot has been read.
  bool Empty() const { return views_.empty(); }
  // Number of snapshots read.
  int Size() const { return static_cast<int>(views_.size()); }
  // Iteration of each snapshot, ascending.
  const std::vector<int>& Iterations() const { return iterations_; }
  // Snapshot number `index`.
  const UpdaterView& View(int index) const { return views_[index]; }
  // The newest snapshot at or before `iteration` (the oldest one if all are
  // later); -1 when there are none.
  int IndexAtOrBefore(int iteration) const;
  // Tensor names seen in any snapshot, in first-seen order.
  std::vector<std::string> TensorNames() const;
  // |step| of tensor `name` in each snapshot (NaN where absent).
  std::vector<double> TensorStepSeries(const std::string& name) const;
  // Frobenius norm of panel `name` in each snapshot (NaN where absent).
  std::vector<double> PanelNormSeries(const std::string& name) const;
  // One line per file that could not be read.
  const std::vector<std::string>& Problems() const { return problems_; }

 private:
  std::string dir_;                    // the snapshots/ folder
  std::vector<int> iterations_;        // iterations read, ascending
  std::vector<UpdaterView> views_;     // their snapshots, in the same order
  std::vector<int> skipped_;           // iterations of malformed files (not retried)
  std::vector<std::string> problems_;  // why each skipped file was refused
};

}  // namespace mnemo
