// The bench's tables as files: results.md (for people), results.csv (one row
// per task and method) and cells.csv (one row per run), for scripts.
#pragma once

#include <string>
#include <vector>

#include "apps/lib/bench/bench_results.h"

namespace mnemo {

// What the report says about how and where the bench ran.
struct ReportContext {
  std::string command;              // e.g. "mnemo bench configs/bench/quick.yaml"
  std::string date;                 // when the report was written
  std::string machine;              // e.g. "host, 2 cores, AMD EPYC"
  int jobs = 1;                     // cells run at once in this session
  int threads_per_cell = 1;         // rollout threads of each
  int reused = 0;                   // runs this session found finished
  int elsewhere = 0;                // runs left to other shards or processes
  std::string shard;                // "K/N" when the bench ran in shards ("": it did not)
  std::vector<std::string> images;  // learning-curve PNG per task ("": none)
  std::string robustness_image;     // the robustness plot's PNG ("": none)
};

// Writes results.md, results.csv and cells.csv into `out` (atomically).
void WriteResultTables(const BenchConfig& config, const BenchResults& results,
                       const ReportContext& context, const std::string& out);

// The results.csv text: task, method, label, seeds, budget_episodes,
// threshold, success_rate, episodes_to_threshold_{median,q1,q3},
// final_return_{median,q1,q3}, mean_return_{median,q1,q3},
// wall_seconds_median, env_steps_per_second; a bench with step-size scales
// adds step_size_scale and normalized_area_{median,q1,q3} (the area over the
// reference method's median area at scale 1 on the task; empty without one).
// A threshold never reached is "inf".
std::string ResultsCsv(const BenchConfig& config, const BenchResults& results);

// The results.md text.
std::string ResultsMarkdown(const BenchConfig& config, const BenchResults& results,
                            const ReportContext& context);

}  // namespace mnemo
