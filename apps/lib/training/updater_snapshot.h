// Optimizer-state snapshots in a run folder, for the viewer's memory panel.
#pragma once

#include <string>
#include <vector>

#include "core/optim/updater.h"

namespace mnemo {

// Writes `view` as snapshots/optimizer_<iteration>.json in `dir` (created).
void WriteUpdaterSnapshot(const UpdaterView& view, int iteration, const std::string& dir);
// Reads one snapshot file; a malformed file is an Error naming it.
UpdaterView ReadUpdaterSnapshot(const std::string& path);
// Iterations that have a snapshot in `dir`, ascending.
std::vector<int> ListUpdaterSnapshots(const std::string& dir);

}  // namespace mnemo
