// The benchmark config: methods x tasks x seeds, read from a YAML file and
// validated (unknown keys, wrong types and out-of-range values are errors
// naming the file, line and key).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/util/error.h"

namespace mnemo {

// A task of the bench: every method gets the same budget and seeds on it.
struct BenchTask {
  std::string name;                      // registry name, e.g. "HalfCheetah"
  std::int64_t max_episodes = 0;         // training-episode budget of every run
  double threshold = 0;                  // return that counts as solved
  bool published_threshold = true;       // false: set by the bench file
  std::int64_t eval_every_episodes = 0;  // evaluation spacing (0: the configs')
  std::vector<std::string> overrides;    // "--set" assignments for every method
  std::vector<std::uint64_t> seeds;      // its own seeds (empty: the bench's; see SeedsOf)
};

// A method of the bench: a training config (per task, or one for all tasks)
// and its own overrides.
struct BenchMethod {
  std::string id;              // folder name, e.g. "ars_v2t" or "ars_v2t_x4"
  std::string base_id;         // its id in the bench file, e.g. "ars_v2t"
  double step_size_scale = 1;  // times the config's search.step_size
  std::string label;           // name in the table, e.g. "ARS V2-t"
  std::map<std::string, std::string> config_per_task;  // task -> config path
  std::string default_config;                          // for tasks not in the map ("": none)
  std::vector<std::string> overrides;                  // "--set" assignments
  bool enabled = true;                                 // false: listed but not run
  ErrorLocation where;                                 // its entry in the bench file
};

// A whole bench file.
struct BenchConfig {
  std::string source;                  // the bench file
  std::string out;                     // bench folder ("": runs/bench-<stem>)
  std::vector<std::uint64_t> seeds;    // the same for every method; a task may list its own
  int threads = 0;                     // cores for the whole bench (0: all)
  int jobs = 0;                        // cells run at once (0: automatic)
  std::vector<std::string> overrides;  // "--set" assignments for every cell
  std::vector<BenchTask> tasks;
  std::vector<BenchMethod> methods;  // in file order (one per step-size scale), disabled ones too
  // Step-size multipliers m (empty: only the configs' own step sizes). Each
  // method then runs at m x its config's search.step_size for every m, as the
  // methods "<id>_x<m>" (the plain id at m = 1): a robustness bench.
  std::vector<double> step_size_scales;
  std::string reference_method;  // base id whose m = 1 area normalizes the others ("": none)
};

// Reads and validates a bench file. Config paths are looked up next to the
// bench file first, then in the repository.
BenchConfig LoadBenchConfig(const std::string& path);

// Builds a bench config from YAML text; `source` names it in errors and
// relative config paths are looked up in `base_dir`, then in the repository.
BenchConfig ParseBenchConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir);

// Keeps only the named tasks and methods (an empty list keeps all), in the
// file's order: a part of a bench, run into the same folder as the whole. A
// method is named by its id (one step-size scale) or its base id (all of
// them). A name the file does not list, or a disabled method, is an Error.
void SelectBenchPart(const std::vector<std::string>& tasks, const std::vector<std::string>& methods,
                     BenchConfig* config);

// The seeds of `task`: its own list, or the bench's.
const std::vector<std::uint64_t>& SeedsOf(const BenchConfig& config, const BenchTask& task);

// The id of `base_id` at step-size scale `scale`: the base id at 1, else
// "<base_id>_x<m>" (e.g. ars_v2t_x0.25, ars_v2t_x4).
std::string ScaledMethodId(const std::string& base_id, double scale);

// The training config file `method` uses on `task` (an Error if it has none).
const std::string& MethodConfigFor(const BenchMethod& method, const std::string& task);

}  // namespace mnemo
