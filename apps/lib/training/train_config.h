// The training config: a YAML file, validated, with every default resolved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "envs/task.h"
#include "policies/policy.h"
#include "policies/policy_list.h"

namespace mnemo {

// Everything `mnemo train` needs, read from a config file.
struct TrainConfig {
  std::string source;                            // the file it came from
  std::string task;                              // task name
  TaskOptions task_options;                      // xml, episode length, contact forces
  double reward_shift = 0;                       // subtracted per step from training returns
  std::string policy_kind;                       // linear, mlp, toeplitz
  const PolicyRegistry* policies = &Policies();  // what policy_kind refers to
  std::vector<int> hidden;                       // hidden widths
  bool normalize = true;                         // observation normalization (ARS V2)
  bool clip_actions = false;                     // the policy clips (cost on the clipped action)
  ConfigNode search;                             // estimator section (type + its keys)
  ConfigNode optimizer;                          // updater section (type + its keys)
  std::uint64_t seed = 1;                        // the run's seed
  int threads = 0;                               // 0: all cores
  std::int64_t max_episodes = 0;                 // training-episode budget (0: none)
  std::int64_t max_iterations = 0;               // iteration budget (0: none)
  int eval_every = 10;                           // iterations between evaluations
  int eval_episodes = 5;                         // episodes per evaluation
  int checkpoint_every = 10;                     // iterations between policy checkpoints
  int snapshot_every = 10;                       // iterations between optimizer snapshots
  double stop_return = 0;                        // stop when an evaluation reaches it (0: never)
  YAML::Node resolved;                           // the config with every default filled in
};

// Reads `path` (empty: the default config), applies `overrides` ("a.b=v"),
// validates every key and returns the config. Errors name file, line, key.
TrainConfig LoadTrainConfig(const std::string& path,
                            const std::vector<std::string>& overrides = {});

// Builds a config from YAML text; `source` names it in errors. Policy kinds
// refer to `policies` (which must outlive the config).
TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const PolicyRegistry& policies = Policies());

// Reads a `task:` section (name, xml, episode length, contact forces, reset
// noise, reward shift) into `c`: the config's, or the Python module's
// mnemo.make options. Errors name the key.
void ReadTaskSection(const ConfigNode& task, TrainConfig* c);

// Path of the default training config.
std::string DefaultTrainConfigPath();

// Sets "a.b.c=value" in `root` (value parsed as YAML); a malformed override
// is an Error.
void ApplyOverride(YAML::Node root, const std::string& assignment);

// Reads the YAML file `path` and applies `overrides` ("a.b=v") to its tree;
// errors then still point at the file (the line of a key where it exists).
ConfigNode LoadConfigWithOverrides(const std::string& path,
                                   const std::vector<std::string>& overrides);

}  // namespace mnemo
