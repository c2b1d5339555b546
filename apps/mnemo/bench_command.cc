// `mnemo bench CONFIG.yaml [--out DIR] [--jobs N] [--tasks A,B] [--methods x,y]
// [--shard K/N]`: methods x tasks x seeds, each a training run; then the
// tables and the learning curves (apps/lib/bench/bench_session.h).
#include <spdlog/spdlog.h>

#include <cstdio>

#include "apps/lib/bench/bench_session.h"
#include "apps/lib/cli_options.h"
#include "apps/lib/training/progress_line.h"
#include "apps/mnemo/commands.h"

namespace mnemo {
namespace {

// Announces the session's cells.
void LogStart(const BenchRequest& request, const BenchStart& s) {
  spdlog::info(
      "bench {}: {} runs (tasks x methods x seeds) in {}{}, {} at a time with {} "
      "rollout thread(s) each",
      request.config, s.cells, s.out,
      s.ranks > 1 ? " over " + std::to_string(s.ranks) + " MPI ranks"
                  : s.part + " (" + std::to_string(s.here) + " here)",
      s.plan.jobs, s.plan.threads_per_cell);
}

// Runs the session, showing its progress, then says how it ended.
void RunBench(const BenchRequest& request, const std::shared_ptr<RankGroup>& world) {
  ProgressLine progress;
  std::string part;
  bool started = false;
  const BenchOutcome o = RunBenchSession(
      request, world,
      [&](const BenchStart& s) {
        LogStart(request, s);
        part = s.ranks > 1 ? "" : s.part;
      },
      [&](const BenchProgress& p) {
        if (!started) progress.Restart();  // the time left counts training only
        started = true;
        if (!p.finished.empty()) progress.Log(p.finished);
        char line[200];
        std::snprintf(line, sizeof line, "bench%s: %d/%d runs done (%d reused), %d running",
                      part.c_str(), p.done, p.cells, p.reused, p.running);
        std::string text = line;
        if (p.busy > 0) text += ", " + std::to_string(p.busy) + " held by another process";
        progress.Update(text, p.fraction_done);
      });
  if (!world->IsLeader()) return;
  char done[256];
  std::snprintf(done, sizeof done, "bench%s: %d runs in %s (%d reused, %d resumed)", part.c_str(),
                o.start.ranks > 1 ? o.start.cells : o.start.here, FormatDuration(o.seconds).c_str(),
                o.counts.reused, o.counts.resumed);
  progress.Finish(done);
  if (o.report.empty()) {
    std::printf(
        "%d of the bench's %d runs are finished; the report is written by the process "
        "that finishes the last one (or run this command again once every shard and every "
        "other process on this bench folder has ended)\n",
        o.finished, o.start.cells);
    return;
  }
  if (!o.curves_problem.empty()) spdlog::warn("{}", o.curves_problem);
  std::printf("%s\nbench folder: %s\n  table:  %s/results.md\n  csv:    %s/results.csv\n",
              o.report.c_str(), o.start.out.c_str(), o.start.out.c_str(), o.start.out.c_str());
}

}  // namespace

void AddBenchCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  auto request = std::make_shared<BenchRequest>();
  auto* cmd = app.add_subcommand(
      "bench", "Run methods x tasks x seeds; write a table, a CSV and learning curves");
  cmd->add_option("config", request->config, "Bench file (e.g. configs/bench/quick.yaml)")
      ->required();
  cmd->add_option("--out", request->out, "Bench folder (default: the file's `out`)");
  cmd->add_option("--jobs", request->jobs,
                  "Runs at once (0: automatic; default: the file's `jobs`)")
      ->check(IntegerIn(0, kMaxThreads));
  cmd->add_option("--tasks", request->tasks,
                  "Run and report only these tasks (e.g. Swimmer,Hopper)")
      ->delimiter(',');
  cmd->add_option("--methods", request->methods,
                  "Run and report only these method ids, or base ids of a bench with step-size "
                  "scales (e.g. ars_v2t,ars_v2t_x4)")
      ->delimiter(',');
  cmd->add_option("--shard", request->shard,
                  "Run only shard K of N (K/N, e.g. 2/8: every 8th run from the 2nd), for N "
                  "machines sharing the bench folder; the last to finish writes the report");
  cmd->callback([request, world] { RunBench(*request, world); });
}

}  // namespace mnemo
