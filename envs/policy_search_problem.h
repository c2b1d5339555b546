// Policy search as a blackbox Problem: the fitness of theta is the return of
// an episode of the task under the policy with parameters theta.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/es/problem.h"
#include "core/io/binary_io.h"
#include "envs/rollout_engine.h"

namespace mnemo {

// Which episodes a run's seed keys: training candidates or evaluations.
enum class EpisodeKind { kTrain, kEval };

// The reset seed of episode `index` of batch `batch` (training: the batch
// counter; evaluation: its key) of kind `kind` in a run of seed `seed`: what
// PolicySearchProblem resets its episodes from (the Python module's rollouts
// use it to run the same episodes).
std::uint64_t EpisodeSeed(std::uint64_t seed, EpisodeKind kind, std::uint64_t batch,
                          std::uint64_t index);

// Returns of a policy evaluated without exploration noise.
struct PolicyEvaluation {
  std::vector<double> returns;  // one per episode
  std::vector<int> lengths;     // steps per episode
  double mean = 0;              // mean return
  double stddev = 0;            // population std of the returns
  std::int64_t env_steps = 0;   // steps taken
};

// Rollouts of candidates with observation normalization (ARS V2: the
// statistics of every training episode are merged, in candidate order,
// after each batch) and an optional per-step reward shift (ARS: training
// fitness only; evaluation returns are never shifted).
class PolicySearchProblem final : public Problem {
 public:
  // `seed` keys the episodes' reset noise.
  PolicySearchProblem(std::shared_ptr<RolloutEngine> engine, bool normalize, double reward_shift,
                      std::uint64_t seed);

  int Dim() const override;
  ParamLayout Layout() const override;
  // One episode per candidate; fitness = shifted return.
  void Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats* stats) override;
  // The last batch's unshifted returns where a reward shift is set; empty
  // otherwise (the fitness is then the return).
  std::span<const double> LastTaskReturns() const override { return task_returns_; }

  // Runs `episodes` episodes of theta with the frozen normalizer; episode
  // seeds are keyed by `key` (e.g. the iteration), never by training state.
  PolicyEvaluation EvaluatePolicy(const Vec& theta, int episodes, std::uint64_t key);

  // Unshifted returns of the last Evaluate batch, in candidate order.
  const std::vector<RolloutResult>& LastBatch() const { return last_batch_; }
  // The observation normalizer (snapshot used by rollouts).
  const ObservationNormalizer& Normalizer() const { return normalizer_; }
  // Replaces the normalizer's statistics (e.g. with a saved policy's).
  void SetObservationStats(const RunningStats& stats);
  RolloutEngine& Engine() { return *engine_; }

  // Writes the batch counter and the normalizer statistics.
  void SaveState(BinaryWriter& out) const;
  // Restores what SaveState wrote.
  void LoadState(BinaryReader& in);

 private:
  std::shared_ptr<RolloutEngine> engine_;
  bool normalize_;
  double reward_shift_;
  std::uint64_t seed_;
  std::uint64_t batches_ = 0;
  ObservationNormalizer normalizer_;
  std::vector<RolloutResult> last_batch_;
  std::vector<double> task_returns_;  // unshifted returns of the last batch (shift set)
};

}  // namespace mnemo
