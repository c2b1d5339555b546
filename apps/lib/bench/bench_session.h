// One `mnemo bench` session: the part of a bench this process runs (all of
// it, a shard, or an MPI rank's share), the outcomes gathered over the
// ranks, and the report once every cell of the bench is finished.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "apps/lib/bench/bench_runner.h"
#include "core/parallel/rank_group.h"

namespace mnemo {

// What the user asked of the session.
struct BenchRequest {
  std::string config;                // the bench file
  std::string out;                   // bench folder ("": the file's `out`, or runs/bench-<name>)
  int jobs = -1;                     // cells at once (-1: the file's `jobs`)
  std::vector<std::string> tasks;    // run only these tasks (empty: all)
  std::vector<std::string> methods;  // run only these methods (empty: all)
  std::string shard;                 // "K/N": run only shard K of N ("": every cell)
};

// What the session's cells are, before they run.
struct BenchStart {
  std::string out;   // the bench folder
  int cells = 0;     // cells of the whole bench (or of its selected part)
  int here = 0;      // cells this process runs
  std::string part;  // " shard K/N", " rank R", or ""
  int ranks = 1;     // MPI ranks sharing the bench
  BenchPlan plan;    // how this process's cells share its cores
};

// How many cells ended each way.
struct OutcomeCounts {
  int cells = 0;    // all of them
  int reused = 0;   // found finished
  int resumed = 0;  // interrupted runs continued
  int busy = 0;     // left to another process
};

// How the session ended.
struct BenchOutcome {
  BenchStart start;            // as announced
  double seconds = 0;          // the session's training time
  OutcomeCounts counts;        // this session's cells (every rank's under MPI)
  int finished = 0;            // cells of the bench now finished (leader)
  std::string report;          // results.md's text once every cell is finished ("": not yet)
  std::string curves_problem;  // why the report has no learning curves ("": it has them)
};

// Runs the session on every rank of `world`: `on_start` (leader only) once
// the cells are known, `on_progress` (leader only) as RunBenchCells reports.
// The leader writes bench.yaml and, when every cell of the bench is
// finished, the report (results.md, results.csv, cells.csv, curves).
BenchOutcome RunBenchSession(const BenchRequest& request, const std::shared_ptr<RankGroup>& world,
                             const std::function<void(const BenchStart&)>& on_start,
                             const std::function<void(const BenchProgress&)>& on_progress);

// "mnemo bench FILE [--out DIR] [--jobs N] [--tasks ...] [--methods ...]":
// the command line that reproduces `request` (for the report).
std::string BenchCommandLine(const BenchRequest& request);

// How many of `cells` hold a finished run; an Error if any holds a run of
// another config or code (made by another shard or process).
int FinishedCells(const BenchConfig& config, const std::vector<BenchCell>& cells);

// The outcomes of every rank of `world` counted together (collective: every
// rank calls it with its own).
OutcomeCounts GatherOutcomeCounts(const std::vector<CellOutcome>& mine, RankGroup& world);

}  // namespace mnemo
