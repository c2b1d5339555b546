// Runs the cells of a bench over the cores: several runs at once, finished
// runs reused, interrupted runs resumed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "apps/lib/bench/bench_cells.h"
#include "apps/lib/training/run_folder.h"

namespace mnemo {

// How the cells share the cores.
struct BenchPlan {
  int jobs = 1;              // cells run at once
  int threads_per_cell = 1;  // rollout threads of each
};

// Splits `threads` cores (0: all) among `cells` cells with `jobs` runs at
// once. jobs = 0 picks the faster way measured on 2 cores: one
// single-thread run per core (docs/BENCHMARKS.md has the measurement).
BenchPlan PlanBench(int cells, int threads, int jobs);

// What this session did with a cell.
enum class CellOutcome {
  kRan,      // trained from the start
  kResumed,  // an interrupted run continued
  kReused,   // found finished
  kBusy,     // left alone: another process is training it
};

// Progress of the whole bench, reported after every iteration of any cell.
struct BenchProgress {
  int cells = 0;             // cells in the bench
  int done = 0;              // cells finished (reused ones included)
  int reused = 0;            // cells found finished when the bench started
  int running = 0;           // cells being trained now
  int busy = 0;              // cells left alone: another process is training them
  double fraction_done = 0;  // of the work that was left at the start
  std::string finished;      // cell just finished, with its result ("" if none)
};

// Runs every cell of `cells` under `plan`: a folder whose run is finished
// (summary.json covering the whole budget) is reused, one with an
// interrupted run is resumed with Trainer::Resume, the others start. Each
// cell is trained under its folder's claim; a cell another process has
// claimed is left alone (kBusy). A folder holding a run of another config (by
// the fingerprint recorded when its run started) is an Error. `on_progress`
// is called (never concurrently) once the cells are checked, after every
// iteration and after every finished cell. If a cell fails, the others stop
// and the first error is rethrown.
std::vector<CellOutcome> RunBenchCells(
    const BenchConfig& config, const std::vector<BenchCell>& cells, const BenchPlan& plan,
    const std::function<void(const BenchProgress&)>& on_progress);

// Throws unless the run in `folder` (if any) was made with `config` by code
// of the same revisions (see ConfigFingerprint): the error says whether the
// config or the code differs. Folders from before fingerprints were recorded
// are judged by their config.yaml, and get the record when claimed.
void CheckRunMatches(const RunFolder& folder, const TrainConfig& config);

// Whether `folder` holds a finished run of `config`'s budget: summary.json
// present, readable, and counting at least config.max_episodes episodes (a
// run stopped early also writes one).
bool IsFinishedRun(const RunFolder& folder, const TrainConfig& config);

}  // namespace mnemo
