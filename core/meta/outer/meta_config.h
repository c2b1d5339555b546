// The meta-training config (configs/meta/*.yaml): the learned updater to
// train, the PES and outer-optimizer settings, the task families and the
// held-in and held-out evaluation. Every key is documented in
// configs/README.md ("Meta-training configs").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/meta/tasks/task_family.h"
#include "core/optim/learned_updater.h"
#include "core/optim/updater_list.h"

namespace mnemo {

// The meta-loss of a particle, and with it the outer algorithm.
enum class MetaObjective {
  kTruncated,  // PES over truncations of long unrolls: mean normalized loss (v1, LSTM)
  kWholeRun,   // antithetic ES over whole runs: area under the curve + final loss (controller)
};

// Everything `mnemo meta-train` reads, validated, defaults resolved.
struct MetaConfig {
  std::string source;                                     // the config file
  ConfigNode root;                                        // the whole config as read
  const TaskFamilyRegistry* families_registry = nullptr;  // what family names refer to
  const UpdaterRegistry* updaters = nullptr;              // what updater names refer to
  ConfigNode optimizer;    // the learned updater's section (`optimizer:`)
  std::string init_from;   // weights to start from (resolved path; "": none)
  std::uint64_t seed = 1;  // results depend on it only
  int threads = 0;         // workers over particles (0: all cores)
  int iterations = 1000;   // meta-iterations
  int pairs = 16;          // antithetic pairs (2x particles)
  double sigma = 0.01;     // std of the PES perturbations
  MetaObjective objective = MetaObjective::kTruncated;  // what a particle's loss is
  int truncation = 10;                  // inner steps per meta-iteration (truncated objective)
  bool sign_differences = false;        // differences: sign (else raw)
  double decay = 0.0;                   // weight decay toward the starting meta-parameters
  LogRange unroll{50, 200};             // unroll lengths, drawn per task
  double max_grad_norm = 0.0;           // clip of the meta-gradient (0: none)
  ConfigNode outer;                     // the outer updater's section (Adam)
  ConfigNode families;                  // training task families (mapping)
  int checkpoint_every = 10;            // meta-iterations between checkpoints
  int eval_every = 50;                  // meta-iterations between evaluations
  int eval_tasks = 8;                   // tasks per evaluation set
  std::int64_t eval_length = 200;       // held-in unroll length
  ConfigNode held_out;                  // held-out families (may be empty)
  std::int64_t held_out_length = 2000;  // held-out unroll length
};

// Reads and validates a meta-training config (errors name file, line, key)
// whose family names refer to `families` and updater names to `updaters`
// (both must outlive the config).
MetaConfig ParseMetaConfig(const ConfigNode& root, const TaskFamilyRegistry& families,
                           const UpdaterRegistry& updaters = Updaters());

// Reads `path` and validates it.
MetaConfig LoadMetaConfig(const std::string& path, const TaskFamilyRegistry& families);

// Builds the learned updater of `updaters` that `config` describes; an
// updater that is not learned (sgd, adam, ...) is an Error at `type`.
std::unique_ptr<LearnedUpdater> MakeLearnedUpdater(const ConfigNode& config,
                                                   const UpdaterRegistry& updaters = Updaters());

}  // namespace mnemo
