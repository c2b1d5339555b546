#include "apps/view/snapshot_history.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "apps/lib/training/run_files.h"
#include "core/util/error.h"

namespace mnemo {

SnapshotHistory::SnapshotHistory(std::string dir) : dir_(std::move(dir)) {}

bool SnapshotHistory::Refresh() {
  bool added = false;
  for (int it : ListUpdaterSnapshots(dir_)) {
    if (std::binary_search(iterations_.begin(), iterations_.end(), it)) continue;
    if (std::find(skipped_.begin(), skipped_.end(), it) != skipped_.end()) continue;
    UpdaterView view;
    try {
      view = ReadUpdaterSnapshot(dir_ + "/" + SnapshotFileName(it));
    } catch (const Error& e) {
      skipped_.push_back(it);
      problems_.push_back(e.what());
      continue;
    }
    const auto at = std::lower_bound(iterations_.begin(), iterations_.end(), it);
    const auto index = at - iterations_.begin();
    iterations_.insert(at, it);
    views_.insert(views_.begin() + index, std::move(view));
    added = true;
  }
  return added;
}

int SnapshotHistory::IndexAtOrBefore(int iteration) const {
  if (iterations_.empty()) return -1;
  const auto after = std::upper_bound(iterations_.begin(), iterations_.end(), iteration);
  if (after == iterations_.begin()) return 0;
  return static_cast<int>(after - iterations_.begin()) - 1;
}

std::vector<std::string> SnapshotHistory::TensorNames() const {
  std::vector<std::string> names;
  for (const UpdaterView& v : views_) {
    for (const std::string& n : v.tensor_names) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  return names;
}

std::vector<double> SnapshotHistory::TensorStepSeries(const std::string& name) const {
  std::vector<double> out(views_.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t s = 0; s < views_.size(); ++s) {
    const UpdaterView& v = views_[s];
    for (std::size_t t = 0; t < v.tensor_names.size() && t < v.tensor_step_norms.size(); ++t) {
      if (v.tensor_names[t] == name) out[s] = v.tensor_step_norms[t];
    }
  }
  return out;
}

std::vector<double> SnapshotHistory::PanelNormSeries(const std::string& name) const {
  std::vector<double> out(views_.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t s = 0; s < views_.size(); ++s) {
    for (const UpdaterPanel& p : views_[s].panels) {
      if (p.name == name) out[s] = p.values.norm();
    }
  }
  return out;
}

}  // namespace mnemo
