// The task distribution of meta-training: a weighted set of task families,
// read from a config's `families:` mapping (label -> family section). Every
// section may set `type`, `weight` and `unroll` (its tasks' unroll lengths).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/meta/tasks/task_family.h"

namespace mnemo {

// Which task an unroll optimises, and for how long: all a checkpoint needs
// to rebuild it.
struct TaskDraw {
  int family = 0;           // index into the mixture
  std::uint64_t seed = 0;   // the family's task seed
  std::int64_t length = 0;  // unroll length in inner steps
};

// Families with weights. Each entry of the mapping is a family section whose
// `type` defaults to its label and whose `weight` (default 1) sets how often
// it is drawn.
class TaskMixture {
 public:
  // Reads the mapping `families` of families of `registry` (an Error when it
  // is empty).
  TaskMixture(const ConfigNode& families, const TaskFamilyRegistry& registry);

  // Number of families.
  int Size() const { return static_cast<int>(families_.size()); }
  // The label of family `i` (its key in the config).
  const std::string& Label(int i) const { return labels_[i]; }
  // A family index drawn by weight.
  int DrawFamily(Stream& rng) const;
  // The unroll lengths of family `i`'s tasks: its section's `unroll`, or
  // `fallback` (the meta config's) when it sets none.
  LogRange Unroll(int i, LogRange fallback) const;
  // Task `seed` of family `i` (not thread-safe; see TaskFamily).
  std::unique_ptr<MetaTask> Sample(int i, std::uint64_t seed) const;

 private:
  std::vector<std::string> labels_;
  std::vector<std::unique_ptr<TaskFamily>> families_;
  std::vector<double> cumulative_;                // cumulative normalized weights
  std::vector<std::optional<LogRange>> unrolls_;  // per family: its own unroll range, if any
};

}  // namespace mnemo
