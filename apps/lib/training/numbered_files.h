// The numbered files of a run folder: policy checkpoints
// (checkpoints/policy_000120.json) and optimizer snapshots
// (snapshots/optimizer_000120.json), named by iteration.
#pragma once

#include <string>
#include <vector>

namespace mnemo {

// "policy_000120.json": the checkpoint of `iteration` in checkpoints/.
std::string CheckpointFileName(int iteration);

// "optimizer_000120.json": the optimizer snapshot of `iteration` in snapshots/.
std::string SnapshotFileName(int iteration);

// The iterations of the files in `dir` named exactly <prefix><digits>.json
// ("policy_", "optimizer_"), ascending. Other files, such as an atomic
// write's temporary "policy_000120.json.tmp.<pid>.<n>", are not listed. A
// missing or unreadable folder lists nothing.
std::vector<int> NumberedFiles(const std::string& dir, const std::string& prefix);

}  // namespace mnemo
