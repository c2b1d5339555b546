// The policy file: everything needed to run a trained policy again.
#pragma once

#include <string>

#include "core/math/running_stats.h"
#include "policies/policy.h"

namespace mnemo {

// A trained policy as stored on disk (JSON; doubles round-trip exactly).
struct SavedPolicy {
  std::string task;        // task it was trained on
  PolicySpec spec;         // kind, sizes, limits, hidden widths
  Vec params;              // theta
  bool normalize = true;   // whether observations are normalized
  RunningStats obs_stats;  // normalizer statistics (frozen for evaluation)
};

// Writes `policy` to `path` atomically (temporary file, then rename).
void SavePolicy(const SavedPolicy& policy, const std::string& path);
// Reads a policy file; a missing or malformed file is an Error naming it.
SavedPolicy LoadPolicy(const std::string& path);
// Reads the text of a policy file (`path` names it in errors).
SavedPolicy ParsePolicy(const std::string& text, const std::string& path);
// Throws an Error unless `policy` was trained on `task` and fits its sizes.
void CheckPolicyFits(const SavedPolicy& policy, const std::string& path, const std::string& task,
                     int obs_dim, int act_dim);

}  // namespace mnemo
