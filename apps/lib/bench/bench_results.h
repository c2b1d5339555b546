// The numbers of a finished bench: per cell from its metrics log, and per
// task and method over the seeds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/lib/bench/bench_cells.h"
#include "apps/lib/bench/bench_stats.h"
#include "apps/lib/bench/run_log.h"

namespace mnemo {

// One run's numbers.
struct CellResult {
  BenchCell cell;
  RunLog log;                        // its metrics log
  double episodes_to_threshold = 0;  // +infinity: never reached
  double final_return = 0;           // last evaluation's mean return
  double mean_return = 0;            // mean evaluation return over the run (MeanReturn)
  std::string threads;  // rollout threads of its sessions in order: "2", or "2+1" when resumed on 1
};

// A method on a task, over the seeds (one row of the table).
struct MethodRow {
  int task = 0;                     // index into BenchConfig::tasks
  int method = 0;                   // index into BenchConfig::methods
  int seeds = 0;                    // runs in the row
  double success_rate = 0;          // fraction of runs that reached the threshold
  Quartiles episodes_to_threshold;  // +infinity where too few runs reached it
  Quartiles final_return;           // of the final evaluations
  Quartiles mean_return;            // of the runs' mean evaluation returns (the area)
  double wall_seconds_median = 0;   // per run
  double env_steps_per_second = 0;  // all runs' steps over all runs' time
};

// All the numbers of a bench.
struct BenchResults {
  std::vector<CellResult> cells;  // in the order of the cells given
  std::vector<MethodRow> rows;    // task by task, method by method
};

// Reads every cell's metrics log and config and computes the rows.
BenchResults CollectResults(const BenchConfig& config, const std::vector<BenchCell>& cells);

// The quartiles of `row`'s area (mean return over the run) divided by the
// median area of the bench's reference method at step-size scale 1 on the
// same task: the robustness bench's score. NaN without a reference, or when
// its row is missing.
Quartiles NormalizedArea(const BenchConfig& config, const BenchResults& results,
                         const MethodRow& row);

}  // namespace mnemo
