#include "apps/lib/bench/bench_session.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "apps/lib/bench/learning_curves.h"
#include "apps/lib/bench/results_table.h"
#include "core/io/config_node.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/parallel/thread_pool.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

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

// "host, 2 cores, AMD EPYC".
std::string MachineDescription() {
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  std::string text = host;
  text += ", " + std::to_string(DefaultThreadCount()) + " cores";
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

// The bench file of `request`, validated on every rank, with its selected part.
BenchConfig LoadRequested(const BenchRequest& request, RankGroup& world) {
  if (world.Size() > 1 && !request.shard.empty()) {
    throw SharedError(
        "--shard splits a bench by hand; under mpirun the ranks split it (drop --shard)");
  }
  BenchConfig config;
  AgreeOnSetup(world, [&] {
    config = LoadBenchConfig(request.config);
    SelectBenchPart(request.tasks, request.methods, &config);
  });
  return config;
}

// This process's cells of `all`: a shard's, a rank's share (every K-th cell
// from the rank's, a share of every task), or all of them. `part` names it.
std::vector<BenchCell> CellsHere(const std::vector<BenchCell>& all, const BenchRequest& request,
                                 const RankGroup& world, std::string* part) {
  if (!request.shard.empty()) {
    const auto [index, count] = ParseShard(request.shard);
    *part = " shard " + request.shard;
    return ShardCells(all, index, count);
  }
  if (world.Size() > 1) {
    *part = " rank " + std::to_string(world.Rank());
    return ShardCells(all, world.Rank() + 1, world.Size());
  }
  part->clear();
  return all;
}

// What every rank of a bench must hold alike: the bench file (its thread
// and job counts aside: no number depends on them), the part asked for,
// the folder, and each method's training config on each task (by its
// fingerprint: every key, the files it names by content).
std::vector<RankFact> BenchFacts(const BenchConfig& config, const BenchRequest& request,
                                 const std::string& out) {
  std::vector<RankFact> facts;
  for (auto& [key, value] : FlattenYaml(ConfigNode::LoadFile(request.config).Yaml())) {
    if (key != "threads" && key != "jobs") facts.emplace_back(key, value);
  }
  std::string tasks;
  std::string methods;
  for (const std::string& t : request.tasks) tasks += t + ",";
  for (const std::string& m : request.methods) methods += m + ",";
  facts.insert(facts.end(), {{"--tasks", tasks}, {"--methods", methods}, {"--out", out}});
  std::set<std::pair<int, int>> seen;
  for (const BenchCell& cell : ListCells(config, out)) {
    if (!seen.insert({cell.task, cell.method}).second) continue;
    const std::string cell_name =
        config.methods[cell.method].id + " on " + config.tasks[cell.task].name + ": ";
    const std::string fingerprint = ConfigFingerprint(CellTrainConfig(config, cell, 1));
    for (auto& [key, value] : FlattenYaml(YAML::Load(fingerprint))) {
      facts.emplace_back(cell_name + key, value);
    }
  }
  return facts;
}

// Writes the report of a finished bench into its folder and keeps its text
// (and why curves are missing, if they are) in `outcome`.
void WriteReport(const BenchConfig& config, const std::vector<BenchCell>& all,
                 const BenchRequest& request, BenchOutcome* outcome_out) {
  const BenchOutcome& outcome = *outcome_out;
  const BenchResults results = CollectResults(config, all);
  const CurvesOutcome curves = DrawLearningCurves(config, results, outcome.start.out);
  ReportContext context;
  context.command = BenchCommandLine(request);
  context.date = Now();
  context.machine = MachineDescription();
  if (outcome.start.ranks > 1) {
    context.machine += "; run over " + std::to_string(outcome.start.ranks) + " MPI ranks";
  }
  context.jobs = outcome.start.plan.jobs;
  context.threads_per_cell = outcome.start.plan.threads_per_cell;
  context.reused = outcome.counts.reused;
  context.elsewhere = outcome.start.cells - outcome.counts.cells + outcome.counts.busy;
  context.shard = request.shard;
  context.images = curves.images;
  context.robustness_image = curves.robustness_image;
  WriteResultTables(config, results, context, outcome.start.out);
  outcome_out->report = ResultsMarkdown(config, results, context);
  outcome_out->curves_problem = curves.problem;
}

}  // namespace

std::string BenchCommandLine(const BenchRequest& request) {
  std::string command = "mnemo bench " + request.config;
  if (!request.out.empty()) command += " --out " + request.out;
  if (request.jobs >= 0) command += " --jobs " + std::to_string(request.jobs);
  for (const auto& [flag, names] :
       {std::pair{" --tasks ", &request.tasks}, std::pair{" --methods ", &request.methods}}) {
    for (std::size_t i = 0; i < names->size(); ++i) {
      command += (i == 0 ? flag : std::string(",")) + (*names)[i];
    }
  }
  return command;
}

int FinishedCells(const BenchConfig& config, const std::vector<BenchCell>& cells) {
  int finished = 0;
  for (const BenchCell& cell : cells) {
    const TrainConfig train = CellTrainConfig(config, cell, 1);
    const RunFolder folder(cell.dir);
    CheckRunMatches(folder, train);
    finished += IsFinishedRun(folder, train);
  }
  return finished;
}

OutcomeCounts GatherOutcomeCounts(const std::vector<CellOutcome>& mine, RankGroup& world) {
  std::string text;
  for (CellOutcome o : mine) text += static_cast<char>(o);
  OutcomeCounts counts;
  for (const std::string& part : world.AllGather(text)) {
    for (char c : part) {
      const auto o = static_cast<CellOutcome>(c);
      ++counts.cells;
      counts.reused += o == CellOutcome::kReused;
      counts.resumed += o == CellOutcome::kResumed;
      counts.busy += o == CellOutcome::kBusy;
    }
  }
  return counts;
}

BenchOutcome RunBenchSession(const BenchRequest& request, const std::shared_ptr<RankGroup>& world,
                             const std::function<void(const BenchStart&)>& on_start,
                             const std::function<void(const BenchProgress&)>& on_progress) {
  const BenchConfig config = LoadRequested(request, *world);
  BenchOutcome outcome;
  BenchStart& start = outcome.start;
  start.out = request.out.empty() ? config.out : request.out;
  if (start.out.empty()) {
    start.out = "runs/bench-" + std::filesystem::path(request.config).stem().string();
  }
  if (world->Size() > 1) {
    // Every rank runs the same bench on the same files, or none starts.
    std::vector<RankFact> facts;
    AgreeOnSetup(*world, [&] { facts = BenchFacts(config, request, start.out); });
    AgreeOnFacts(*world, std::move(facts));
  }
  const std::vector<BenchCell> all = ListCells(config, start.out);
  const std::vector<BenchCell> cells = CellsHere(all, request, *world, &start.part);
  CreateFolders(start.out);
  start.cells = int(all.size());
  start.here = int(cells.size());
  start.ranks = world->Size();
  start.plan =
      PlanBench(start.here, config.threads, request.jobs >= 0 ? request.jobs : config.jobs);
  const bool leader = world->IsLeader();
  if (leader && on_start) on_start(start);
  const auto clock = std::chrono::steady_clock::now();
  const std::vector<CellOutcome> outcomes =
      RunBenchCells(config, cells, start.plan, [&](const BenchProgress& p) {
        if (leader && on_progress) on_progress(p);
      });
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock).count();
  outcome.counts = GatherOutcomeCounts(outcomes, *world);
  if (!leader) return outcome;
  // The bench file that made the runs (only once they are known to match it).
  WriteFileAtomically(start.out + "/bench.yaml", ReadTextFile(request.config));
  // The report needs every run, checked as the folders are now: with
  // shards, with cells another process held, or with folders removed or
  // replaced while this process ran, some may not be finished.
  outcome.finished = FinishedCells(config, all);
  if (outcome.finished == start.cells) WriteReport(config, all, request, &outcome);
  return outcome;
}

}  // namespace mnemo
