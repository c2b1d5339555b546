#include "apps/lib/bench/bench_runner.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "apps/lib/bench/run_log.h"
#include "apps/lib/training/trainer.h"
#include "core/io/folder_lock.h"
#include "core/io/text_file.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Whole text of a file ("" if it cannot be read).
std::string TextOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// File in a run folder holding the ConfigFingerprint of the cell that
// started the run (its files' digests as they were then).
constexpr const char* kFingerprintFile = "bench_fingerprint.yaml";

// Records `config`'s fingerprint in the run folder `dir`.
void RecordFingerprint(const std::string& dir, const TrainConfig& config) {
  WriteFileAtomically(dir + "/" + kFingerprintFile, ConfigFingerprint(config));
}

// `fingerprint` without its revisions (its config and files only); a
// fingerprint that is not YAML gives "" (it matches no config).
std::string WithoutRevisions(const std::string& fingerprint) {
  try {
    YAML::Node node = YAML::Load(fingerprint);
    if (!node.IsMap()) return "";
    node.remove("revisions");
    YAML::Emitter emitter;
    emitter << node;
    return emitter.c_str();
  } catch (const YAML::Exception&) {
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

void CheckRunMatches(const std::string& dir, const TrainConfig& config) {
  const std::string recorded = dir + "/" + kFingerprintFile;
  const std::string path = dir + "/config.yaml";
  const std::string expected = ConfigFingerprint(config);
  std::string stored;
  if (fs::exists(recorded)) {
    stored = ReadTextFile(recorded);
  } else if (fs::exists(path)) {
    // Made before fingerprints were recorded, so before revisions existed:
    // by every part's revision 1.
    stored = WithoutRevisions(ConfigFingerprint(ParseTrainConfig(TextOrEmpty(path), path)));
    if (stored == expected) WriteFileAtomically(recorded, expected);
  } else {
    return;
  }
  if (stored == expected) return;
  const std::string config_only = WithoutRevisions(stored);
  if (!config_only.empty() && config_only == WithoutRevisions(expected)) {
    throw Error({dir, 0, ""},
                "holds a run made by another version of its method's code (the run: " +
                    RevisionsText(stored) + "; this build: " + RevisionsText(expected) +
                    "); delete the folder to run it again, or choose another --out");
  }
  throw Error({dir, 0, ""},
              "holds a run of another config (did the bench file change?); "
              "delete the folder or choose another --out");
}

namespace {

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

bool IsFinishedRun(const std::string& dir, const TrainConfig& config) {
  const std::string path = dir + "/summary.json";
  if (!fs::exists(path)) return false;
  const nlohmann::json j = nlohmann::json::parse(TextOrEmpty(path), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("episodes") || !j["episodes"].is_number()) {
    return false;
  }
  return j["episodes"].get<double>() >= double(config.max_episodes);
}

std::vector<CellOutcome> RunBenchCells(
    const BenchConfig& config, const std::vector<BenchCell>& cells, const BenchPlan& plan,
    const std::function<void(const BenchProgress&)>& on_progress) {
  const std::size_t n = cells.size();
  // Every cell's config first, so that a bad one fails before any training.
  std::vector<TrainConfig> configs;
  for (const BenchCell& cell : cells) {
    configs.push_back(CellTrainConfig(config, cell, plan.threads_per_cell));
  }

  std::vector<CellOutcome> outcomes(n, CellOutcome::kRan);
  std::vector<double> cost(n), start(n, 0), now(n, 0);
  std::vector<std::size_t> todo;
  BenchProgress progress;
  progress.cells = int(n);
  for (std::size_t i = 0; i < n; ++i) {
    CheckRunMatches(cells[i].dir, configs[i]);
    cost[i] = double(configs[i].max_episodes) * configs[i].task_options.max_episode_steps;
    if (IsFinishedRun(cells[i].dir, configs[i])) {
      outcomes[i] = CellOutcome::kReused;
      start[i] = now[i] = 1;
      ++progress.done;
      ++progress.reused;
    } else {
      if (fs::exists(cells[i].dir + "/state.bin")) {
        outcomes[i] = CellOutcome::kResumed;
        start[i] = now[i] = SpentFraction(cells[i].dir, configs[i]);
      }
      todo.push_back(i);
    }
  }
  // Longest first, so that the last cells to finish are short ones.
  std::stable_sort(todo.begin(), todo.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  double work_left = 0;
  for (std::size_t i : todo) work_left += cost[i] * (1 - start[i]);

  std::mutex mutex;  // guards everything below and serialises on_progress
  std::vector<Trainer*> active;
  std::exception_ptr error;
  std::atomic<std::size_t> next{0};
  // Reports progress; the caller holds `mutex`.
  auto report = [&] {
    if (!on_progress) return;
    double work_done = 0;
    for (std::size_t i : todo) work_done += cost[i] * (now[i] - start[i]);
    progress.fraction_done = work_left > 0 ? std::min(1.0, work_done / work_left) : 1.0;
    on_progress(progress);
    progress.finished.clear();
  };
  // Takes cells until none are left or one has failed.
  auto worker = [&] {
    for (std::size_t k = next++; k < todo.size(); k = next++) {
      const std::size_t i = todo[k];
      std::unique_ptr<Trainer> trainer;
      try {
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (error) return;
        }
        std::optional<FolderLock> cell_lock = FolderLock::TryTake(cells[i].dir);
        if (!cell_lock) {
          std::lock_guard<std::mutex> lock(mutex);
          outcomes[i] = CellOutcome::kBusy;
          work_left -= cost[i] * (1 - start[i]);  // not this process's work
          ++progress.busy;
          report();
          continue;
        }
        // Under the lock, as the folder is now: another process may have
        // finished or started the cell since the scan.
        CheckRunMatches(cells[i].dir, configs[i]);
        if (IsFinishedRun(cells[i].dir, configs[i])) {
          std::lock_guard<std::mutex> lock(mutex);
          outcomes[i] = CellOutcome::kReused;
          work_left -= cost[i] * (1 - start[i]);  // done by another process
          ++progress.done;
          ++progress.reused;
          report();
          continue;
        }
        const bool resume = fs::exists(cells[i].dir + "/state.bin");
        {
          std::lock_guard<std::mutex> lock(mutex);
          outcomes[i] = resume ? CellOutcome::kResumed : CellOutcome::kRan;
        }
        if (resume) {
          trainer = Trainer::Resume(cells[i].dir, plan.threads_per_cell, Policies(),
                                    std::move(cell_lock));
        } else {
          // Fingerprint first: the Trainer makes the folder resumable, and a
          // resumable folder without one would be judged by revision 1.
          RecordFingerprint(cells[i].dir, configs[i]);
          trainer = std::make_unique<Trainer>(configs[i], cells[i].dir, std::move(cell_lock));
        }
        {
          std::lock_guard<std::mutex> lock(mutex);
          active.push_back(trainer.get());
          ++progress.running;
          if (error) trainer->Cancel();
        }
        const TrainSummary s = trainer->Run([&](const IterationReport& r) {
          std::lock_guard<std::mutex> lock(mutex);
          now[i] = r.fraction_done;
          report();
        });
        std::lock_guard<std::mutex> lock(mutex);
        std::erase(active, trainer.get());
        --progress.running;
        if (!error) {
          now[i] = 1;
          ++progress.done;
          progress.finished = DescribeCell(config, cells[i], s);
          report();
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        if (trainer && std::erase(active, trainer.get()) > 0) --progress.running;
        for (Trainer* t : active) t->Cancel();
        return;
      }
    }
  };
  {
    std::lock_guard<std::mutex> lock(mutex);
    report();  // the cells are checked: the work starts now
  }
  std::vector<std::thread> threads;
  const int jobs = std::min<int>(plan.jobs, int(todo.size()));
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  if (!todo.empty()) worker();
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  return outcomes;
}

}  // namespace mnemo
