#include "apps/lib/bench/bench_results.h"

#include <cmath>

#include "apps/lib/training/run_files.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Rollout threads of a run's sessions (sessions.csv) joined by '+', each change
// of count once ("2+1"). Sessions from before the session log existed count
// with their config.yaml's thread count (that of the run's start).
std::string RunThreads(const std::string& dir) {
  std::vector<RunSession> sessions = ReadRunSessions(dir);
  if (sessions.empty() || sessions.front().iteration > 0) {
    const std::string path = dir + "/config.yaml";
    sessions.insert(sessions.begin(),
                    RunSession{"", 0, 0, ParseTrainConfig(ReadTextFile(path), path).threads});
  }
  std::string joined;
  int last = -1;
  for (const RunSession& session : sessions) {
    if (session.threads == last) continue;
    if (!joined.empty()) joined += '+';
    joined += std::to_string(session.threads);
    last = session.threads;
  }
  return joined;
}

}  // namespace

Quartiles NormalizedArea(const BenchConfig& config, const BenchResults& results,
                         const MethodRow& row) {
  double reference = std::nan("");
  for (const MethodRow& r : results.rows) {
    const BenchMethod& method = config.methods[r.method];
    if (r.task == row.task && !config.reference_method.empty() &&
        method.base_id == config.reference_method && method.step_size_scale == 1) {
      reference = r.mean_return.median;
    }
  }
  return {row.mean_return.q1 / reference, row.mean_return.median / reference,
          row.mean_return.q3 / reference};
}

BenchResults CollectResults(const BenchConfig& config, const std::vector<BenchCell>& cells) {
  BenchResults results;
  for (const BenchCell& cell : cells) {
    CellResult r;
    r.cell = cell;
    r.log = ReadRunLog(cell.dir);
    if (r.log.evaluations.empty()) {
      throw Error({cell.dir + "/metrics.csv", 0, ""}, "the run has no evaluation");
    }
    r.episodes_to_threshold =
        EpisodesToThreshold(r.log.evaluations, config.tasks[cell.task].threshold);
    r.final_return = FinalReturn(r.log.evaluations);
    r.mean_return = MeanReturn(r.log.evaluations);
    r.threads = RunThreads(cell.dir);
    results.cells.push_back(std::move(r));
  }
  for (std::size_t t = 0; t < config.tasks.size(); ++t) {
    for (std::size_t m = 0; m < config.methods.size(); ++m) {
      std::vector<double> to_threshold, final_return, mean_return, wall;
      double steps = 0;
      double seconds = 0;
      for (const CellResult& r : results.cells) {
        if (r.cell.task != int(t) || r.cell.method != int(m)) continue;
        to_threshold.push_back(r.episodes_to_threshold);
        final_return.push_back(r.final_return);
        mean_return.push_back(r.mean_return);
        wall.push_back(r.log.wall_seconds);
        steps += r.log.env_steps;
        seconds += r.log.wall_seconds;
      }
      if (wall.empty()) continue;
      MethodRow row;
      row.task = int(t);
      row.method = int(m);
      row.seeds = int(wall.size());
      row.success_rate = SuccessRate(to_threshold);
      row.episodes_to_threshold = QuartilesOf(to_threshold);
      row.final_return = QuartilesOf(final_return);
      row.mean_return = QuartilesOf(mean_return);
      row.wall_seconds_median = Median(wall);
      row.env_steps_per_second = seconds > 0 ? steps / seconds : 0;
      results.rows.push_back(row);
    }
  }
  return results;
}

}  // namespace mnemo
