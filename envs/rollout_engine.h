// Parallel rollouts: a batch of parameter vectors, one episode each, on a
// thread pool whose workers each own an Env (their own mjData).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/math/running_stats.h"
#include "core/parallel/rank_group.h"
#include "core/parallel/thread_pool.h"
#include "envs/env.h"
#include "policies/observation_normalizer.h"
#include "policies/policy.h"

namespace mnemo {

// What one episode produced.
struct RolloutResult {
  double total_return = 0;    // sum of rewards
  double shifted_return = 0;  // sum of (reward - reward_shift): ARS's training signal
  int length = 0;             // environment steps taken
  std::array<double, kMaxRewardTerms> term_sums{};  // per reward term
  Termination termination = Termination::kTimeLimit;
  RunningStats obs_stats;  // observations seen (when collected)
};

// How a batch is run.
struct RolloutOptions {
  bool normalize = true;          // normalize observations with the snapshot
  bool collect_obs_stats = true;  // return per-episode observation statistics
  double reward_shift = 0;        // subtracted per step in shifted_return
  int max_steps = -1;             // < 0: the task's max_episode_steps
};

// The episodes this process ran itself, and the time they took.
struct RolloutLoad {
  std::int64_t episodes = 0;   // episodes run by this process
  std::int64_t env_steps = 0;  // their steps
  double busy_seconds = 0;     // wall time of this process's share of the batches
};

// Runs episodes of a task under a policy architecture, in parallel on its
// threads and, given a RankGroup of several ranks, split over the ranks.
// Results depend only on the parameters and episode seeds: the same with 1
// thread or N, on 1 rank or K.
class RolloutEngine {
 public:
  // An engine with `threads` workers (0: all cores), each with its own Env.
  RolloutEngine(std::shared_ptr<const Task> task, std::shared_ptr<const Policy> policy,
                int threads);

  // One episode per params[i], reset from Stream(episode_seeds[i]); results
  // in the same order. With several ranks this is collective: the ranks
  // share the episodes as they become free (RankGroup::ShareWork) and every
  // rank returns the whole batch. Throws Cancelled when the cancel flag was
  // raised.
  std::vector<RolloutResult> Run(std::span<const Vec> params,
                                 std::span<const std::uint64_t> episode_seeds,
                                 const ObservationNormalizer& normalizer,
                                 const RolloutOptions& options);

  // Once *flag is true, episodes end within one step (those not started yet
  // right after their reset), and Run throws Cancelled (nullptr: never).
  // `flag` must outlive the engine's use of it.
  void SetCancelFlag(const std::atomic<bool>* flag) { cancel_ = flag; }
  // Splits every later Run over `ranks` (every rank must make the same Run
  // calls). Without a call the engine is this process alone.
  void SetRanks(std::shared_ptr<RankGroup> ranks) { ranks_ = std::move(ranks); }
  // The ranks Run is split over.
  RankGroup& Ranks() const { return *ranks_; }
  // What this process ran itself so far.
  const RolloutLoad& Load() const { return load_; }
  // Number of workers.
  int Threads() const { return pool_.Size(); }
  const Task& GetTask() const { return *task_; }
  const Policy& GetPolicy() const { return *policy_; }
  // Episodes that ended unstable so far (over all Runs).
  std::int64_t UnstableEpisodes() const { return unstable_episodes_; }

 private:
  // One worker's reusable buffers and simulation.
  struct Workspace {
    explicit Workspace(std::shared_ptr<const Task> task);
    Env env;         // this worker's simulation
    Vec obs;         // the current observation
    Vec normalized;  // the observation after normalization
    Vec action;      // the policy's action
    Vec scratch;     // the policy's scratch space
  };

  // Whether the cancel flag is raised.
  bool CancelRequested() const {
    return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed);
  }
  // Runs one episode on workspace `ws` (cut short on cancel).
  RolloutResult RunEpisode(Workspace& ws, const Vec& params, std::uint64_t episode_seed,
                           const ObservationNormalizer& normalizer,
                           const RolloutOptions& options) const;

  std::shared_ptr<const Task> task_;                    // the task every worker's Env runs
  std::shared_ptr<const Policy> policy_;                // the policy architecture
  ThreadPool pool_;                                     // runs the episodes
  std::vector<std::unique_ptr<Workspace>> workspaces_;  // one per worker
  std::shared_ptr<RankGroup> ranks_;                    // who shares the batches
  RolloutLoad load_;                                    // this process's share so far
  std::int64_t unstable_episodes_ = 0;                  // over all Runs
  const std::atomic<bool>* cancel_ = nullptr;           // see SetCancelFlag
};

}  // namespace mnemo
