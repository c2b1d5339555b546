// A training run's metrics log (metrics.csv) read back: its evaluation curve
// and the totals of its last row.
#pragma once

#include <string>
#include <vector>

#include "apps/lib/bench/bench_stats.h"

namespace mnemo {

// What a benchmark needs from one run's metrics log.
struct RunLog {
  std::vector<EvalPoint> evaluations;  // rows that hold an evaluation, in order
  int rows = 0;                        // iterations logged
  double episodes = 0;                 // training episodes at the last row
  double env_steps = 0;                // environment steps at the last row
  double wall_seconds = 0;             // run time at the last row
};

// Parses the text of a metrics.csv (a header naming the columns, then one
// row per iteration; an empty cell is a missing value). Errors name `source`,
// the line and the column.
RunLog ParseMetricsCsv(const std::string& text, const std::string& source);

// Reads `run_dir`/metrics.csv; a folder without one gives an empty log.
RunLog ReadRunLog(const std::string& run_dir);

}  // namespace mnemo
