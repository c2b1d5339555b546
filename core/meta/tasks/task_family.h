// Families of inner tasks: each draws a task from a seed (its sizes,
// conditioning, data, starting point). They are listed by name in
// core/meta/tasks/task_family_list.cc (and apps/lib/meta/task_family_list.cc, which adds
// the locomotion family).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/meta/tasks/meta_task.h"
#include "core/util/registry.h"

namespace mnemo {

// A family of tasks. Sample is never called from two threads at once (it may
// read the family's config, and YAML trees are not thread-safe); the tasks it
// returns run on any thread.
class TaskFamily {
 public:
  virtual ~TaskFamily() = default;
  // Registry name ("quadratic", "mlp", "blackbox", "locomotion", ...).
  virtual std::string Name() const = 0;
  // The task drawn from `seed`: the same seed always gives the same task.
  virtual std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const = 0;
};

// Task families by name, built from their config section.
using TaskFamilyRegistry = Registry<TaskFamily, const ConfigNode&>;

// Builds the family of `registry` named by `config`'s `type` key
// (`default_type` when absent).
std::unique_ptr<TaskFamily> MakeTaskFamily(const TaskFamilyRegistry& registry,
                                           const ConfigNode& config,
                                           const std::string& default_type);

// Throws for any key of a family section other than `own` and the keys every
// section may carry (`type`, `weight`, `unroll`: read by the mixture).
void AllowFamilyKeys(const ConfigNode& config, std::vector<std::string> own);

// A closed range [lo, hi] sampled log-uniformly (integers: rounded).
struct LogRange {
  double lo = 1.0;  // smallest value
  double hi = 1.0;  // largest value

  // A log-uniform number in [lo, hi].
  double Sample(Stream& rng) const;
  // A log-uniform integer in [lo, hi] (both ends included).
  int SampleInt(Stream& rng) const;
};

// Reads `key` as a number (a range of one value) or a list [lo, hi], with
// lo_limit <= lo <= hi <= hi_limit; `fallback` when absent. Both ends must
// be positive.
LogRange GetLogRange(const ConfigNode& config, const std::string& key, LogRange fallback,
                     double lo_limit, double hi_limit);

// Reads `key` as a list of names, each one of `allowed`; `fallback` when
// absent. An empty list is an error.
std::vector<std::string> GetNameList(const ConfigNode& config, const std::string& key,
                                     const std::vector<std::string>& fallback,
                                     const std::vector<std::string>& allowed);

// The estimator of an ES family's tasks: the family's `estimator` section (an
// ES section of core/es), with, when the family gives `step_sizes` (a log
// range), the estimator's step size (its nominal step, alpha) drawn per
// task, so that a learned controller meets nominal steps too small and too
// large and must tell them apart from what it sees.
class EstimatorDraw {
 public:
  // Reads `estimator` and `step_sizes` of `family` and builds the estimator
  // once, so that errors name their keys (a strategy such as cma_es gives no
  // gradient: unknown here).
  explicit EstimatorDraw(const ConfigNode& family);
  // The estimator of one task; draws its step size from `rng` only when the
  // family gives `step_sizes`. Not thread-safe (it reads the config).
  std::unique_ptr<GradientEstimator> Make(Stream& rng) const;

 private:
  ConfigNode estimator_;  // the family's `estimator` section
  bool drawn_ = false;    // whether step sizes are drawn
  LogRange step_sizes_;   // their range
};

}  // namespace mnemo
