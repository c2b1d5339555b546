// `mnemo bench CONFIG.yaml [--out DIR] [--jobs N] [--tasks A,B] [--methods x,y]
// [--shard K/N]`: methods x tasks x seeds, each a training run; then the
// tables and the learning curves.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "apps/lib/bench/bench_runner.h"
#include "apps/lib/bench/learning_curves.h"
#include "apps/lib/bench/results_table.h"
#include "apps/lib/training/progress_line.h"
#include "apps/mnemo/commands.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/parallel/thread_pool.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Options of the command.
struct BenchArgs {
  std::string config;              // the bench file
  std::string out;                 // bench folder (default: the file's `out`, or runs/bench-<name>)
  int jobs = -1;                   // cells at once (-1: the file's `jobs`)
  std::vector<std::string> tasks;  // run only these tasks (empty: all)
  std::vector<std::string> methods;  // run only these methods (empty: all)
  std::string shard;                 // "K/N": run only shard K of N ("": every cell)
};

// K and N of a "K/N" shard argument; an Error for any other text.
std::pair<int, int> ParseShard(const std::string& text) {
  int index = 0;
  int count = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d/%d%c", &index, &count, &extra) != 2) {
    throw Error("--shard " + text + ": expected K/N, e.g. 2/8");
  }
  return {index, count};
}

// How many of `cells` hold a finished run; an Error if any holds a run of
// another config or code (made by another shard or process).
int FinishedCells(const BenchConfig& config, const std::vector<BenchCell>& cells) {
  int finished = 0;
  for (const BenchCell& cell : cells) {
    const TrainConfig train = CellTrainConfig(config, cell, 1);
    CheckRunMatches(cell.dir, train);
    finished += IsFinishedRun(cell.dir, train);
  }
  return finished;
}

// "host, 2 cores, AMD EPYC".
std::string MachineDescription() {
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  std::string text = host;
  text += ", ";
  text += std::to_string(DefaultThreadCount());
  text += " cores";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
      text += ", " + line.substr(line.find(':') + 2);
      break;
    }
  }
  return text;
}

// The local time, e.g. "2026-01-31 14:05 CET".
std::string Now() {
  const std::time_t now = std::time(nullptr);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M %Z", std::localtime(&now));
  return stamp;
}

// The command line that reproduces this bench.
std::string CommandLine(const BenchArgs& args) {
  std::string command = "mnemo bench ";
  command += args.config;
  if (!args.out.empty()) command += " --out " + args.out;
  if (args.jobs >= 0) command += " --jobs " + std::to_string(args.jobs);
  for (const auto& [flag, names] :
       {std::pair{" --tasks ", &args.tasks}, std::pair{" --methods ", &args.methods}}) {
    for (std::size_t i = 0; i < names->size(); ++i) {
      command += (i == 0 ? flag : std::string(",")) + (*names)[i];
    }
  }
  return command;
}

// Runs the bench (its cells spread over the ranks of `world`) and, on the
// leader, writes its report.
void RunBench(const BenchArgs& args, const std::shared_ptr<RankGroup>& world) {
  if (world->Size() > 1 && !args.shard.empty()) {
    throw SharedError(
        "--shard splits a bench by hand; under mpirun the ranks split it (drop --shard)");
  }
  BenchConfig config;
  AgreeOnSetup(*world, [&] {
    config = LoadBenchConfig(args.config);
    SelectBenchPart(args.tasks, args.methods, &config);
  });
  std::string out = args.out.empty() ? config.out : args.out;
  if (out.empty()) out = "runs/bench-" + fs::path(args.config).stem().string();
  const std::vector<BenchCell> all_cells = ListCells(config, out);
  std::vector<BenchCell> cells = all_cells;
  std::string shard_text;
  if (!args.shard.empty()) {
    const auto [index, count] = ParseShard(args.shard);
    cells = ShardCells(all_cells, index, count);
    shard_text = " shard " + args.shard;
  } else if (world->Size() > 1) {
    // Rank r runs every K-th cell from the r-th: a share of every task.
    cells = ShardCells(all_cells, world->Rank() + 1, world->Size());
    shard_text = " rank " + std::to_string(world->Rank());
  }
  CreateFolders(out);
  const BenchPlan plan =
      PlanBench(int(cells.size()), config.threads, args.jobs >= 0 ? args.jobs : config.jobs);
  const bool leader = world->IsLeader();
  if (leader) {
    spdlog::info(
        "bench {}: {} runs (tasks x methods x seeds) in {}{}, {} at a time with {} "
        "rollout thread(s) each",
        args.config, all_cells.size(), out,
        world->Size() > 1 ? " over " + std::to_string(world->Size()) + " MPI ranks"
                          : shard_text + " (" + std::to_string(cells.size()) + " here)",
        plan.jobs, plan.threads_per_cell);
  }
  ProgressLine progress;
  bool checked = false;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<CellOutcome> outcomes =
      RunBenchCells(config, cells, plan, [&](const BenchProgress& p) {
        if (!leader) return;
        if (!checked) progress.Restart();  // the time left counts training only
        checked = true;
        if (!p.finished.empty()) progress.Log(p.finished);
        char line[200];
        std::snprintf(line, sizeof line, "bench%s: %d/%d runs done (%d reused), %d running",
                      shard_text.c_str(), p.done, p.cells, p.reused, p.running);
        std::string text = line;
        if (p.busy > 0) text += ", " + std::to_string(p.busy) + " held by another process";
        progress.Update(text, p.fraction_done);
      });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Every rank's outcomes (and the end of every rank's cells).
  std::string mine;
  for (CellOutcome o : outcomes) mine += static_cast<char>(o);
  int reused = 0;
  int resumed = 0;
  int busy = 0;
  for (const std::string& part : world->AllGather(mine)) {
    for (char c : part) {
      reused += static_cast<CellOutcome>(c) == CellOutcome::kReused;
      resumed += static_cast<CellOutcome>(c) == CellOutcome::kResumed;
      busy += static_cast<CellOutcome>(c) == CellOutcome::kBusy;
    }
  }
  if (!leader) return;
  if (world->Size() > 1) {
    cells = all_cells;
    shard_text.clear();
  }
  // The bench file that made the runs (only once they are known to match it).
  WriteFileAtomically(out + "/bench.yaml", ReadTextFile(args.config));
  char done[256];
  std::snprintf(done, sizeof done, "bench%s: %zu runs in %s (%d reused, %d resumed)",
                shard_text.c_str(), cells.size(), FormatDuration(seconds).c_str(), reused, resumed);
  progress.Finish(done);
  // The report needs every run, checked as the folders are now: with
  // shards, with cells another process held, or with folders removed or
  // replaced while this process ran, some may not be finished.
  {
    const int finished = FinishedCells(config, all_cells);
    if (finished < int(all_cells.size())) {
      std::printf(
          "%d of the bench's %zu runs are finished; the report is written by the process "
          "that finishes the last one (or run this command again once every shard and every "
          "other process on this bench folder has ended)\n",
          finished, all_cells.size());
      return;
    }
  }

  const BenchResults results = CollectResults(config, all_cells);
  const CurvesOutcome curves = DrawLearningCurves(config, results, out);
  if (!curves.problem.empty()) spdlog::warn("{}", curves.problem);
  ReportContext context;
  context.command = CommandLine(args);
  context.date = Now();
  context.machine = MachineDescription();
  if (world->Size() > 1) {
    context.machine += "; run over " + std::to_string(world->Size()) + " MPI ranks";
  }
  context.jobs = plan.jobs;
  context.threads_per_cell = plan.threads_per_cell;
  context.reused = reused;
  context.elsewhere = int(all_cells.size() - cells.size()) + busy;
  context.shard = args.shard;
  context.images = curves.images;
  WriteResultTables(config, results, context, out);
  std::printf("%s\nbench folder: %s\n  table:  %s/results.md\n  csv:    %s/results.csv\n",
              ResultsMarkdown(config, results, context).c_str(), out.c_str(), out.c_str(),
              out.c_str());
}

}  // namespace

void AddBenchCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Run methods x tasks x seeds; write a table, a CSV and learning curves");
  cmd->add_option("config", args->config, "Bench file (e.g. configs/bench/quick.yaml)")->required();
  cmd->add_option("--out", args->out, "Bench folder (default: the file's `out`)");
  cmd->add_option("--jobs", args->jobs, "Runs at once (0: automatic; default: the file's `jobs`)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--tasks", args->tasks, "Run and report only these tasks (e.g. Swimmer,Hopper)")
      ->delimiter(',');
  cmd->add_option("--methods", args->methods,
                  "Run and report only these method ids (e.g. ars_v2t,mnemosyne_es)")
      ->delimiter(',');
  cmd->add_option("--shard", args->shard,
                  "Run only shard K of N (K/N, e.g. 2/8: every 8th run from the 2nd), for N "
                  "machines sharing the bench folder; the last to finish writes the report");
  cmd->callback([args, world] { RunBench(*args, world); });
}

}  // namespace mnemo
