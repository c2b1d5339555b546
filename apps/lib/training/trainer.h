// A training run: builds task, policy and search strategy from a config,
// iterates the search, evaluates, logs, checkpoints, and resumes exactly.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "apps/lib/training/run_folder.h"
#include "apps/lib/training/train_config.h"
#include "core/es/search_loop.h"
#include "core/parallel/rank_group.h"
#include "envs/policy_search_problem.h"
#include "policies/policy_file.h"

namespace mnemo {

// The headline numbers of a run (also written as summary.json).
struct TrainSummary {
  std::string task;
  std::string method;  // "<search>+<optimizer>"
  std::uint64_t seed = 0;
  int iterations = 0;
  std::int64_t episodes = 0;   // training episodes
  std::int64_t env_steps = 0;  // training and evaluation steps
  double wall_seconds = 0;
  double best_eval_return = -std::numeric_limits<double>::infinity();
  double final_eval_return = std::numeric_limits<double>::quiet_NaN();
  double threshold = 0;                     // the task's solved threshold
  std::int64_t episodes_to_threshold = -1;  // -1: not reached
  std::int64_t unstable_episodes = 0;
};

// What the trainer reports after each iteration (for progress and viewers).
struct IterationReport {
  int iteration = 0;
  std::int64_t episodes = 0;
  double train_return_mean = 0;
  double eval_return_mean = std::numeric_limits<double>::quiet_NaN();
  double best_eval_return = 0;
  double env_steps_per_second = 0;
  double fraction_done = 0;
};

// Runs `mnemo train` in a run folder (README lists its files), which
// resumes exactly anywhere, also after being moved or copied.
//
// On the ranks of an MPI job every rank builds the same trainer and runs
// the same iterations; rollouts are split over the ranks (RolloutEngine),
// and only the leader (rank 0) holds the lock, writes the run folder and
// reports progress. Every rank must see the config and its files at the
// same paths (and, to resume, the run folder).
class Trainer {
 public:
  // Prepares a new run in `folder` (created; must not already hold a run).
  // The leader holds the folder's claim (one writer per run folder) while
  // the trainer lives: the caller's, if it claimed the folder, else it
  // claims it, and an Error names the process that holds it. `ranks` (null:
  // this process alone) share the rollouts; a failure to set up on any rank
  // is the same Error on every rank, before anything is written.
  Trainer(TrainConfig config, RunFolder folder, std::shared_ptr<RankGroup> ranks = nullptr);
  // The same in the folder at `run_dir`.
  Trainer(TrainConfig config, const std::string& run_dir,
          std::shared_ptr<RankGroup> ranks = nullptr);
  // Reopens the run in `folder` to continue it (its config.yaml is used,
  // its policy kind one of `policies`). `threads` > 0 replaces its rollout
  // thread count (results do not depend on it). The claim and the ranks as
  // above.
  static std::unique_ptr<Trainer> Resume(RunFolder folder, int threads = 0,
                                         const PolicyRegistry& policies = Policies(),
                                         std::shared_ptr<RankGroup> ranks = nullptr);
  // The same in the folder at `run_dir`.
  static std::unique_ptr<Trainer> Resume(const std::string& run_dir, int threads = 0,
                                         const PolicyRegistry& policies = Policies(),
                                         std::shared_ptr<RankGroup> ranks = nullptr);
  ~Trainer();

  // Iterates until a budget is reached (or Stop or Cancel is called);
  // returns the summary of the last finished iteration, also written to
  // summary.json. `on_iteration` (optional) is called after every iteration.
  TrainSummary Run(const std::function<void(const IterationReport&)>& on_iteration = {});
  // Asks Run to return after the current iteration (thread-safe).
  void Stop() { stop_ = true; }
  // Asks Run to return now, abandoning the current iteration's rollouts
  // (thread-safe). The run folder keeps the last finished iteration, so a
  // resume continues exactly. Afterwards this Trainer is good only for
  // RunDir, Config and CurrentPolicy (its counters may include the abandoned
  // iteration); a later Run returns at once with the same summary.
  void Cancel() { cancel_ = true; }

  // The current policy as a saved-policy record (thread-safe).
  SavedPolicy CurrentPolicy() const;
  const std::string& RunDir() const { return folder_.Dir(); }
  const TrainConfig& Config() const { return config_; }
  // Fraction of the budget used so far (by every session of the run).
  double FractionDone() const;

 private:
  // Run's loop, which keeps finished_ up to date. Throws Cancelled on Cancel.
  void RunIterations(const std::function<void(const IterationReport&)>& on_iteration);
  // Builds everything from the config (agreed over the ranks); `resume`
  // reads state.bin; the leader then claims the folder unless the caller
  // did, and writes a new run's files.
  Trainer(TrainConfig config, RunFolder folder, bool resume, std::shared_ptr<RankGroup> ranks);
  // Opens a new run's files (leader): folders, config, metrics, state.
  void StartFiles();
  // Evaluates the current theta and records best/threshold.
  double Evaluate();
  // Writes the policy files, the optimizer snapshot and the state.
  void WriteCheckpoints(bool evaluated_now, bool force);
  // Writes state.bin atomically.
  void SaveState() const;
  // Reads state.bin; gives the metrics files' byte counts it records.
  void LoadState(std::uint64_t* csv_bytes, std::uint64_t* jsonl_bytes);
  // Throws an Error naming `path` unless the counters just read from it are
  // in range (counts from 0 to 2^53; times and returns numbers where the
  // format needs them).
  void CheckCounters(const std::string& path) const;
  // Throws an Error naming the iteration when it made theta or the
  // observation statistics non-finite (before anything of it is written).
  void CheckFinite() const;
  TrainSummary Summary() const;
  // Whether a budget or the stop return is reached.
  bool Done() const;
  // Whether this process writes the run folder (the leader rank).
  bool Writes() const { return ranks_->IsLeader(); }

  TrainConfig config_;
  RunFolder folder_;                  // claimed by the leader while the trainer lives
  std::shared_ptr<RankGroup> ranks_;  // who shares the rollouts (leader writes)
  std::shared_ptr<const Task> task_;
  std::shared_ptr<const Policy> policy_;
  std::unique_ptr<PolicySearchProblem> problem_;
  std::unique_ptr<Strategy> strategy_;  // theta and how it moves
  std::unique_ptr<SearchLoop> loop_;    // the iteration; ask, evaluate, tell
  std::atomic<bool> stop_{false};       // Stop: return after this iteration
  std::atomic<bool> cancel_{false};     // Cancel: abandon this iteration
  TrainSummary finished_;               // as of the last iteration in the run folder
  mutable std::mutex policy_mutex_;     // guards theta and normalizer copies
  Vec published_theta_;                 // latest theta for CurrentPolicy
  RunningStats published_stats_;        // latest normalizer for CurrentPolicy

  int session_start_iteration_ = 0;  // iterations done when this session began

  // Counters kept in state.bin.
  std::int64_t episodes_ = 0;
  std::int64_t env_steps_ = 0;
  double wall_seconds_ = 0;
  double best_eval_ = -std::numeric_limits<double>::infinity();
  double last_eval_ = std::numeric_limits<double>::quiet_NaN();
  std::int64_t episodes_to_threshold_ = -1;
  std::int64_t unstable_ = 0;
};

// The parameters a run of seed `seed` starts from (the Python module's
// ask/tell searches start where `mnemo train` does).
Vec InitialRunParams(const Policy& policy, std::uint64_t seed);

// `summary` as summary.json holds it.
nlohmann::json SummaryJson(const TrainSummary& summary);

}  // namespace mnemo
