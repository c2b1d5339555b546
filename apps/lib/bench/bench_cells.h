// The cells of a bench (one training run per task, method and seed), their
// run folders and their training configs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/lib/bench/bench_config.h"
#include "apps/lib/training/train_config.h"

namespace mnemo {

// One training run of the bench.
struct BenchCell {
  int task = 0;    // index into BenchConfig::tasks
  int method = 0;  // index into BenchConfig::methods
  std::uint64_t seed = 0;
  std::string dir;  // run folder: <out>/<task>/<method id>/s<seed>
};

// Every cell of the enabled methods, task by task, method by method, seed by
// seed, with run folders under `out`.
std::vector<BenchCell> ListCells(const BenchConfig& config, const std::string& out);

// Shard `index` (1-based) of `count`: the cells at positions index - 1,
// index - 1 + count, ... of `cells`. The shards are disjoint, together hold
// every cell, and each gets a share of every task, so that `count` machines
// (a cluster's job array) can run a bench into one folder. An Error unless
// 1 <= index <= count.
std::vector<BenchCell> ShardCells(const std::vector<BenchCell>& cells, int index, int count);

// The training config of `cell` with `threads` rollout threads: the method's
// config for the task, re-targeted to it (task.name), then the bench's,
// the method's and the task's overrides, then what the bench fixes for
// fairness: train.seed, train.max_episodes (the task's budget),
// train.max_iterations = 0, train.stop_return = 0 (every run spends the
// whole budget) and, when the task sets eval_every_episodes, the
// train.eval_every that comes closest to it. Errors name the bench file and
// the method.
TrainConfig CellTrainConfig(const BenchConfig& config, const BenchCell& cell, int threads);

// Training episodes in the first iteration of a run of `config` (the size of
// the first population; CMA-ES restarts may grow it later).
int EpisodesPerIteration(const TrainConfig& config);

// The resolved config as YAML text with train.threads blanked (threads never
// change results), the weights and MJCF files named by their content
// (FileDigest), and the revisions (Registry::Entry::revision) of the task, search and
// optimizer where above 1: to tell whether a run folder holds this cell's
// run, made by the same code, wherever the folder and the repository are.
std::string ConfigFingerprint(const TrainConfig& config);

}  // namespace mnemo
