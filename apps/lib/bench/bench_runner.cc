#include "apps/lib/bench/bench_runner.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "apps/lib/bench/run_log.h"
#include "apps/lib/training/trainer.h"
#include "core/io/config_node.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Whole text of a run folder's file ("" if it cannot be read, or is not a
// regular file).
std::string TextOrEmpty(const std::string& path) {
  try {
    return ReadTextFile(path, Links::kRefuse);
  } catch (const Error&) {
    return "";
  }
}

// `fingerprint` without its revisions (its config and files only); a
// fingerprint that is not YAML, or not one a config could make (aliases
// expanding without end, duplicate keys), gives "" (it matches no config).
std::string WithoutRevisions(const std::string& fingerprint) {
  try {
    YAML::Node node = YAML::Load(fingerprint);
    if (!node.IsMap()) return "";
    CheckPlainKeys(node, "bench_fingerprint.yaml");
    node.remove("revisions");
    YAML::Emitter emitter;
    emitter << node;
    return emitter.c_str();
  } catch (const YAML::Exception&) {
    return "";
  } catch (const Error&) {
    return "";
  }
}

// The revisions a fingerprint records, as "openai_es revision 2", or
// "revision 1 throughout".
std::string RevisionsText(const std::string& fingerprint) {
  const YAML::Node node = YAML::Load(fingerprint);
  std::string text;
  for (const auto& entry : node["revisions"]) {
    const std::string part = entry.first.as<std::string>();
    const YAML::Node section = node[part];
    const YAML::Node name = part == "task"     ? section["name"]
                            : part == "policy" ? section["kind"]
                                               : section["type"];
    if (!text.empty()) text += ", ";
    text += (name ? name.as<std::string>() : part) + " revision " + entry.second.as<std::string>();
  }
  return text.empty() ? "revision 1 throughout" : text;
}

}  // namespace

void CheckRunMatches(const RunFolder& folder, const TrainConfig& config) {
  const std::string path = folder.Path("config.yaml");
  const std::string expected = ConfigFingerprint(config);
  std::string stored;
  if (const std::optional<std::string> recorded = folder.ReadFingerprint()) {
    stored = *recorded;
  } else if (EntryExists(path)) {
    // Made before fingerprints were recorded, so before revisions existed:
    // by every part's revision 1 (and recorded once it matches, by a writer).
    stored = WithoutRevisions(ConfigFingerprint(ParseTrainConfig(TextOrEmpty(path), path)));
    if (stored == expected && folder.Claimed()) folder.RecordFingerprint(expected);
  } else {
    return;
  }
  if (stored == expected) return;
  const std::string config_only = WithoutRevisions(stored);
  if (!config_only.empty() && config_only == WithoutRevisions(expected)) {
    throw Error({folder.Dir(), 0, ""},
                "holds a run made by another version of its method's code (the run: " +
                    RevisionsText(stored) + "; this build: " + RevisionsText(expected) +
                    "); delete the folder to run it again, or choose another --out");
  }
  throw Error({folder.Dir(), 0, ""},
              "holds a run of another config (did the bench file change?); "
              "delete the folder or choose another --out");
}

namespace {

// Creates the folders of the cell at `dir`: the bench folder if missing,
// and below it the task's, the method's and the seed's, each a folder and
// not a link, so that the cell's files stay in the bench folder.
void CreateCellFolders(const std::string& dir) {
  const fs::path seed(dir);
  CreateFolders(seed.parent_path().parent_path().parent_path().string());
  for (const fs::path& level : {seed.parent_path().parent_path(), seed.parent_path(), seed}) {
    CreateFolderInside(level.string());
  }
}

// Fraction of its budget a stopped run had spent (0 if unknown).
double SpentFraction(const std::string& dir, const TrainConfig& config) {
  try {
    return std::min(1.0, ReadRunLog(dir).episodes / double(config.max_episodes));
  } catch (const Error&) {
    return 0;  // a log cut mid-line: only the time estimate suffers
  }
}

// "HalfCheetah / ARS V2-t / seed 2: final eval 1234.5, threshold 3430 not
// reached, 200 s" (the threshold is the bench's, read off the metrics log).
std::string DescribeCell(const BenchConfig& config, const BenchCell& cell, const TrainSummary& s) {
  const BenchTask& task = config.tasks[cell.task];
  const double reached_at = EpisodesToThreshold(ReadRunLog(cell.dir).evaluations, task.threshold);
  const std::string reached =
      std::isinf(reached_at)
          ? std::string("not reached")
          : std::string("reached after ") + std::to_string(std::llround(reached_at)) + " episodes";
  char text[512];
  std::snprintf(text, sizeof text, "%s / %s / seed %llu: final eval %.1f, threshold %g %s, %.0f s",
                task.name.c_str(), config.methods[cell.method].label.c_str(),
                static_cast<unsigned long long>(cell.seed), s.final_eval_return, task.threshold,
                reached.c_str(), s.wall_seconds);
  return text;
}

}  // namespace

BenchPlan PlanBench(int cells, int threads, int jobs) {
  const int cores = threads > 0 ? threads : DefaultThreadCount();
  BenchPlan plan;
  plan.jobs = std::clamp(jobs > 0 ? jobs : cores, 1, std::max(1, cells));
  plan.threads_per_cell = std::max(1, cores / plan.jobs);
  return plan;
}

bool IsFinishedRun(const RunFolder& folder, const TrainConfig& config) {
  const std::optional<nlohmann::json> summary = folder.ReadSummary();
  if (!summary || !summary->contains("episodes") || !(*summary)["episodes"].is_number()) {
    return false;
  }
  return (*summary)["episodes"].get<double>() >= double(config.max_episodes);
}

namespace {

// Runs the cells of one bench session on `plan.jobs` worker threads: the
// cells are scanned (fingerprints, finished, interrupted), then the workers
// take the unfinished ones, longest first, each under its folder's claim.
class CellScheduler {
 public:
  CellScheduler(const BenchConfig& config, const std::vector<BenchCell>& cells,
                const BenchPlan& plan, const std::function<void(const BenchProgress&)>& on_progress)
      : config_(config), cells_(cells), plan_(plan), on_progress_(on_progress) {}

  // Checks every cell's config and folder (an Error for a bad config or a
  // folder of another run), then runs the cells; rethrows the first failure.
  std::vector<CellOutcome> Run() {
    Scan();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Report();  // the cells are checked: the work starts now
    }
    std::vector<std::thread> threads;
    const int jobs = std::min<int>(plan_.jobs, int(todo_.size()));
    for (int j = 1; j < jobs; ++j) threads.emplace_back([this] { Work(); });
    if (!todo_.empty()) Work();
    for (std::thread& t : threads) t.join();
    if (error_) std::rethrow_exception(error_);
    return outcomes_;
  }

 private:
  // Every cell's config first, so that a bad one fails before any training;
  // finished cells are reused, the others queued, longest first.
  void Scan() {
    const std::size_t n = cells_.size();
    outcomes_.assign(n, CellOutcome::kRan);
    cost_.assign(n, 0);
    start_.assign(n, 0);
    now_.assign(n, 0);
    progress_.cells = int(n);
    for (const BenchCell& cell : cells_) {
      configs_.push_back(CellTrainConfig(config_, cell, plan_.threads_per_cell));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const RunFolder folder(cells_[i].dir);
      CheckRunMatches(folder, configs_[i]);
      cost_[i] = double(configs_[i].max_episodes) * configs_[i].task_options.max_episode_steps;
      if (IsFinishedRun(folder, configs_[i])) {
        outcomes_[i] = CellOutcome::kReused;
        start_[i] = now_[i] = 1;
        ++progress_.done;
        ++progress_.reused;
        continue;
      }
      if (folder.HoldsRun()) {
        outcomes_[i] = CellOutcome::kResumed;
        start_[i] = now_[i] = SpentFraction(cells_[i].dir, configs_[i]);
      }
      todo_.push_back(i);
    }
    // Longest first, so that the last cells to finish are short ones.
    std::stable_sort(todo_.begin(), todo_.end(),
                     [&](std::size_t a, std::size_t b) { return cost_[a] > cost_[b]; });
    for (std::size_t i : todo_) work_left_ += cost_[i] * (1 - start_[i]);
  }

  // Takes cells until none are left or one has failed.
  void Work() {
    for (std::size_t k = next_++; k < todo_.size(); k = next_++) {
      const std::size_t i = todo_[k];
      try {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (error_) return;
        }
        if (std::optional<RunFolder> folder = ClaimUnfinished(i)) Train(i, std::move(*folder));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
        for (Trainer* t : active_) t->Cancel();
        return;
      }
    }
  }

  // The claimed folder of cell `i`, or nullopt when it is not this process's
  // work (another process holds it, or finished it since the scan).
  std::optional<RunFolder> ClaimUnfinished(std::size_t i) {
    CreateCellFolders(cells_[i].dir);
    RunFolder folder(cells_[i].dir);
    if (!folder.TryClaim()) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcomes_[i] = CellOutcome::kBusy;
      work_left_ -= cost_[i] * (1 - start_[i]);  // not this process's work
      ++progress_.busy;
      Report();
      return std::nullopt;
    }
    // Under the claim, as the folder is now: another process may have
    // finished or started the cell since the scan.
    CheckRunMatches(folder, configs_[i]);
    if (IsFinishedRun(folder, configs_[i])) {
      std::lock_guard<std::mutex> lock(mutex_);
      outcomes_[i] = CellOutcome::kReused;
      work_left_ -= cost_[i] * (1 - start_[i]);  // done by another process
      ++progress_.done;
      ++progress_.reused;
      Report();
      return std::nullopt;
    }
    return folder;
  }

  // Trains cell `i` in its claimed folder: resumed, or started afresh.
  void Train(std::size_t i, RunFolder folder) {
    const bool resume = folder.HoldsRun();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      outcomes_[i] = resume ? CellOutcome::kResumed : CellOutcome::kRan;
    }
    std::unique_ptr<Trainer> trainer;
    if (resume) {
      trainer = Trainer::Resume(std::move(folder), plan_.threads_per_cell);
    } else {
      // Fingerprint first: the Trainer makes the folder resumable, and a
      // resumable folder without one would be judged by revision 1.
      folder.RecordFingerprint(ConfigFingerprint(configs_[i]));
      trainer = std::make_unique<Trainer>(configs_[i], std::move(folder));
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      active_.push_back(trainer.get());
      ++progress_.running;
      if (error_) trainer->Cancel();
    }
    const auto leave = [&] {
      std::erase(active_, trainer.get());
      --progress_.running;
    };
    TrainSummary summary;
    try {
      summary = trainer->Run([&](const IterationReport& r) {
        std::lock_guard<std::mutex> lock(mutex_);
        now_[i] = r.fraction_done;
        Report();
      });
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      leave();
      throw;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    leave();
    if (error_) return;
    now_[i] = 1;
    ++progress_.done;
    progress_.finished = DescribeCell(config_, cells_[i], summary);
    Report();
  }

  // Reports progress; the caller holds mutex_.
  void Report() {
    if (!on_progress_) return;
    double work_done = 0;
    for (std::size_t i : todo_) work_done += cost_[i] * (now_[i] - start_[i]);
    progress_.fraction_done = work_left_ > 0 ? std::min(1.0, work_done / work_left_) : 1.0;
    on_progress_(progress_);
    progress_.finished.clear();
  }

  const BenchConfig& config_;
  const std::vector<BenchCell>& cells_;
  const BenchPlan plan_;
  const std::function<void(const BenchProgress&)>& on_progress_;
  std::vector<TrainConfig> configs_;   // per cell
  std::vector<std::size_t> todo_;      // cells to train, longest first
  std::atomic<std::size_t> next_{0};   // next position in todo_ to take
  std::mutex mutex_;                   // guards everything below, serialises on_progress_
  std::vector<CellOutcome> outcomes_;  // per cell
  std::vector<double> cost_;           // per cell: budget in environment steps
  std::vector<double> start_, now_;    // per cell: fraction done at the scan, and now
  double work_left_ = 0;               // this process's work at the scan, in steps
  BenchProgress progress_;             // what on_progress_ is told
  std::vector<Trainer*> active_;       // cells being trained
  std::exception_ptr error_;           // the first failure
};

}  // namespace

std::vector<CellOutcome> RunBenchCells(
    const BenchConfig& config, const std::vector<BenchCell>& cells, const BenchPlan& plan,
    const std::function<void(const BenchProgress&)>& on_progress) {
  return CellScheduler(config, cells, plan, on_progress).Run();
}

}  // namespace mnemo
