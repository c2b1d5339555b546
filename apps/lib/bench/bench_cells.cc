#include "apps/lib/bench/bench_cells.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/es/strategy.h"
#include "core/io/checksum.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"
#include "envs/task.h"
#include "envs/task_list.h"
#include "policies/policy.h"
#include "policies/policy_list.h"

namespace mnemo {

namespace {

// The override that sets the search's step size to `scale` times the one
// `config` resolves to (an Error if its search has no step size).
std::string ScaledStepSize(const TrainConfig& config, double scale) {
  if (!config.search.Has("step_size")) {
    throw config.search.ErrorAt("step_size",
                                "a bench with step_size_scales needs the config to set it");
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "search.step_size=%.17g",
                scale * config.search.GetDouble("step_size", 0));
  return buf;
}

}  // namespace

std::vector<BenchCell> ListCells(const BenchConfig& config, const std::string& out) {
  std::vector<BenchCell> cells;
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    for (std::size_t m = 0; m < config.methods.size(); ++m) {
      if (!config.methods[m].enabled) continue;
      for (std::uint64_t seed : SeedsOf(config, config.tasks[t])) {
        std::string seed_folder = "s";
        seed_folder += std::to_string(seed);
        const std::filesystem::path dir =
            std::filesystem::path(out) / config.tasks[t].name / config.methods[m].id / seed_folder;
        cells.push_back({int(t), int(m), seed, dir.string()});
      }
    }
  }
  return cells;
}

std::vector<BenchCell> ShardCells(const std::vector<BenchCell>& cells, int index, int count) {
  if (count < 1 || index < 1 || index > count) {
    throw Error("shard " + std::to_string(index) + "/" + std::to_string(count) +
                " does not exist (use K/N with 1 <= K <= N)");
  }
  std::vector<BenchCell> shard;
  for (std::size_t i = std::size_t(index - 1); i < cells.size(); i += std::size_t(count)) {
    shard.push_back(cells[i]);
  }
  return shard;
}

TrainConfig CellTrainConfig(const BenchConfig& config, const BenchCell& cell, int threads) {
  const BenchTask& task = config.tasks[cell.task];
  const BenchMethod& method = config.methods[cell.method];
  std::vector<std::string> sets{"task.name=" + task.name};
  sets.insert(sets.end(), config.overrides.begin(), config.overrides.end());
  sets.insert(sets.end(), method.overrides.begin(), method.overrides.end());
  sets.insert(sets.end(), task.overrides.begin(), task.overrides.end());
  sets.push_back("train.seed=" + std::to_string(cell.seed));
  sets.push_back("train.max_episodes=" + std::to_string(task.max_episodes));
  sets.push_back("train.max_iterations=0");
  sets.push_back("train.stop_return=0");
  sets.push_back("train.threads=" + std::to_string(threads));
  try {
    const std::string& path = MethodConfigFor(method, task.name);
    if (method.step_size_scale != 1) {
      sets.push_back(ScaledStepSize(LoadTrainConfig(path, sets), method.step_size_scale));
    }
    TrainConfig train = LoadTrainConfig(path, sets);
    // Builds the search, so that a bad key in `search` or `optimizer` (or a
    // missing weights file) fails before training.
    const double per_iteration = EpisodesPerIteration(train);
    if (task.eval_every_episodes == 0) return train;
    const long long every =
        std::max(1LL, std::llround(double(task.eval_every_episodes) / per_iteration));
    sets.push_back("train.eval_every=" + std::to_string(every));
    return LoadTrainConfig(path, sets);
  } catch (const Error& e) {
    throw Error(method.where, "method " + method.id + " on " + task.name + ": " + e.what());
  }
}

int EpisodesPerIteration(const TrainConfig& config) {
  const auto task = MakeTask(config.task, config.task_options);
  const auto policy = MakePolicy({config.policy_kind, task->ObsDim(), task->ActDim(),
                                  task->ActionLow(), task->ActionHigh(), config.hidden});
  const auto strategy = MakeStrategy(config.search, config.optimizer);
  strategy->Reset(policy->Layout(), Vec::Zero(policy->NumParams()));
  std::vector<Vec> candidates;
  strategy->Ask(config.seed, 0, &candidates);
  return std::max<int>(1, int(candidates.size()));
}

std::string ConfigFingerprint(const TrainConfig& config) {
  YAML::Node copy = YAML::Clone(config.resolved);
  copy["train"]["threads"] = 0;
  // Files by content, not by where they are.
  for (const auto& [section, key] : {std::pair{"optimizer", "weights"}, std::pair{"task", "xml"}}) {
    if (copy[section] && copy[section][key]) {
      copy[section][key] = FileDigest(copy[section][key].as<std::string>());
    }
  }
  // Runs made before a method's numbers changed must not pass for new ones.
  // A strategy with its own step rule (CMA-ES) uses no optimizer.
  const std::string search = SearchType(config.search);
  const std::string optimizer = config.optimizer.GetString("type", "sgd");
  const std::pair<const char*, int> revisions[] = {
      {"task", Tasks().Revision(config.task)},
      {"policy", Policies().Revision(config.policy_kind)},
      {"search", SearchRevision(search)},
      {"optimizer", SearchUsesUpdater(search) ? Updaters().Revision(optimizer) : 1},
  };
  for (const auto& [part, revision] : revisions) {
    if (revision > 1) copy["revisions"][part] = revision;
  }
  YAML::Emitter emitter;
  emitter << copy;
  return emitter.c_str();
}

}  // namespace mnemo
