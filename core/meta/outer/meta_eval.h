// Learned against hand-designed optimizers on held-out tasks (`mnemo
// meta-eval`): every method runs the same task draws for a long horizon,
// and the table reports the final and mean normalized loss (ln of the loss
// over the initial loss) and the runs that diverged. A method with an
// `lr_grid` (Adam) is tuned per task: the learning rate of the grid with
// the best mean loss is the one reported; it is also reported at the one
// learning rate of its grid that is best over all task entries together
// (its label + "_shared_lr"): what a user gets who tunes it once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/meta/tasks/task_family.h"

namespace mnemo {

// One compared method: an updater section and, optionally, a grid of `lr`.
struct EvalMethod {
  std::string label;            // its key in `methods:`
  ConfigNode optimizer;         // the updater section
  std::vector<double> lr_grid;  // empty: used as it is
};

// The meta-evaluation config.
struct MetaEvalConfig {
  std::string source;           // the config file
  std::int64_t horizon = 2000;  // inner steps per run
  int seeds = 3;                // task draws per task entry
  std::uint64_t seed = 1;       // keys the task draws
  int threads = 0;              // workers (0: all cores)
  std::vector<EvalMethod> methods;
  ConfigNode tasks;                              // label -> task family section
  const TaskFamilyRegistry* registry = nullptr;  // what family names refer to (not owned)
};

// Reads and validates a meta-evaluation config whose family names refer to
// `registry` (which must outlive the config).
MetaEvalConfig LoadMetaEvalConfig(const std::string& path, const TaskFamilyRegistry& registry);
// The same from an already parsed config.
MetaEvalConfig ParseMetaEvalConfig(const ConfigNode& root, const TaskFamilyRegistry& registry);

// One method on one task entry (averaged over its seeds).
struct MethodOutcome {
  std::string method;       // label
  double final_loss = 0.0;  // mean normalized loss at the end
  double mean_loss = 0.0;   // mean over the run of the normalized loss
  double lr = 0.0;          // the chosen lr (NaN: not tuned)
  int diverged = 0;         // seeds whose run diverged
};

// All methods on one task entry.
struct TaskOutcome {
  std::string task;                    // label
  std::string example;                 // description of its first draw
  std::vector<MethodOutcome> methods;  // in config order; then the shared-lr variants
  std::vector<MethodOutcome> grid;     // every method with an lr_grid, at every lr of it
};

// The suffix of a tuned method's label at its one shared learning rate.
inline constexpr char kSharedLrSuffix[] = "_shared_lr";

// Runs every method on every task entry; `progress` (may be empty) gets
// each finished entry (without the shared-lr variants, which need every
// entry: they are in the returned outcomes).
std::vector<TaskOutcome> RunMetaEval(const MetaEvalConfig& config,
                                     const std::function<void(const TaskOutcome&)>& progress);

}  // namespace mnemo
