// Where a saved policy came from: the run folder it lies in and the task
// options that run trained with, so that evaluating or showing the policy
// uses the same episode length, robot file and observation layout.
#pragma once

#include <string>

#include "envs/task.h"

namespace mnemo {

// The run folder a policy file lies in (its folder, or the one above for
// checkpoints/); "" when neither holds a config.yaml.
std::string RunDirOfPolicy(const std::string& policy_path);

// The task options of the run `policy_path` lies in, read from its
// config.yaml; the defaults for a policy outside any run folder, and (with
// a warning) when the run config cannot be read or trains another task
// than `task`, the policy's. `config_used` (if given) gets the config file
// read, or "" when the defaults were used.
TaskOptions TaskOptionsOfPolicy(const std::string& policy_path, const std::string& task,
                                std::string* config_used = nullptr);

}  // namespace mnemo
