// The meta-trainer: antithetic persistent evolution strategies (PES, Vicol
// et al. 2021) over truncated unrolls of inner optimisations, with an outer
// updater (Adam) on the meta-parameters of a learned updater.
//
// P antithetic pairs each optimise their own task (drawn from the task
// mixture, with an unroll length drawn per task). Every meta-iteration,
// pair j draws eps_j ~ N(0, sigma^2 I); its plus particle runs the next
// `truncation` inner steps with meta-parameters theta_M + eps_j, its minus
// particle with theta_M - eps_j, each from its own inner state. With
// L+-_j = (sum of the truncation's normalized losses) / truncation and the
// accumulated perturbation xi_j = sum of the pair's eps since its unroll
// began (this one included), the meta-gradient estimate is
//   g = 1/P sum_j xi_j (L+_j - L-_j) / (2 sigma^2),
// an unbiased estimate of the gradient of the (Gaussian-smoothed) sum of
// truncation losses over whole unrolls, free of truncation bias. When a
// pair's unroll ends it draws a new task and xi_j restarts from zero.
//
// With the whole_run objective (the controller) every meta-iteration runs each
// pair's whole unroll, a new task each time (plain antithetic ES, xi_j =
// eps_j), and L+-_j is the mean normalized loss over the run (the area under
// its evaluation curve) plus the final one, so that a late collapse costs.
// `differences: sign` replaces L+_j - L-_j by its sign (each task's scale
// drops out) and `decay` adds decay (theta_M - theta_M at the start) to g.
// Particles run on a thread pool and, given a RankGroup of several MPI
// ranks, are split over the ranks (each rank owns a fixed slice of the 2P
// particles and steps only those; losses and each particle's progress are
// gathered after every meta-iteration, whole particle states only when the
// state is saved). Every random draw is keyed by (seed, iteration, pair),
// and reductions run in pair order, so results depend on the seed only,
// never on the thread or rank count.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/io/binary_io.h"
#include "core/meta/outer/inner_run.h"
#include "core/meta/outer/meta_config.h"
#include "core/meta/tasks/task_mixture.h"
#include "core/optim/learned_updater.h"
#include "core/parallel/rank_group.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {

// What one meta-iteration did.
struct MetaIterationReport {
  int iteration = 0;             // meta-iterations done, this one included
  double meta_loss = 0.0;        // mean truncation loss over the particles
  double grad_norm = 0.0;        // |meta-gradient estimate| before clipping
  double step_norm = 0.0;        // |change of the meta-parameters|
  int unrolls_finished = 0;      // pairs whose unroll ended
  std::int64_t inner_steps = 0;  // inner steps run by all particles
  int diverged = 0;              // particles whose task has diverged
};

// Held-in and held-out evaluation of the unperturbed meta-parameters: the
// mean over a fixed set of tasks of the mean normalized loss of a whole
// unroll.
struct MetaEvaluation {
  double held_in = 0.0;   // tasks of the training families
  double held_out = 0.0;  // tasks of the held-out families (NaN: none)
  int diverged = 0;       // tasks that diverged (both sets)
};

// Meta-trains a learned updater (Mnemosyne, the LSTM) on a task mixture.
class MetaTrainer {
 public:
  // Builds the updater (from `init_from` when given), its particle copies,
  // the task mixtures and the thread pool; the meta-parameters start as the
  // updater's (sane initialisation or the init_from weights). `ranks`
  // (null: this process alone) share the particles and evaluations; every
  // rank must then make the same calls (all but MetaParams, Iteration,
  // Config and SaveWeights are collective).
  explicit MetaTrainer(const MetaConfig& config, std::shared_ptr<RankGroup> ranks = nullptr);

  // Runs one meta-iteration: a PES estimate, then an outer step.
  MetaIterationReport Iterate();
  // The PES meta-gradient estimate (of the meta-loss, not an ascent) of one
  // meta-iteration at the current meta-parameters, advancing every pair by
  // one truncation, without an outer step. Fills `report` (may be null)
  // except step_norm.
  Vec EstimateGradient(MetaIterationReport* report);
  // Evaluates the current meta-parameters on the fixed held-in and held-out
  // tasks (with no perturbation).
  MetaEvaluation Evaluate();

  // The meta-parameters.
  const Vec& MetaParams() const { return meta_params_; }
  // Meta-iterations done.
  int Iteration() const { return iteration_; }
  const MetaConfig& Config() const { return config_; }
  // Writes the current meta-parameters as a weights file (atomically).
  void SaveWeights(const std::string& path) const;

  // Writes the whole state (exact resume). Collective: gathers the
  // particles of the other ranks (every rank writes the same bytes).
  void SaveState(BinaryWriter& out) const;
  // Restores what SaveState wrote (for the same config).
  void LoadState(BinaryReader& in);

 private:
  // One antithetic pair: its task draw, PES accumulator and two particles.
  struct Pair {
    TaskDraw draw;                    // the current unroll's task
    std::uint64_t unrolls = 0;        // unrolls started (keys the next draw)
    Vec accumulator;                  // xi: the eps since the unroll began
    std::unique_ptr<InnerRun> plus;   // runs with theta_M + eps
    std::unique_ptr<InnerRun> minus;  // runs with theta_M - eps
    std::int64_t steps_run = 0;       // steps of the unroll run (by whichever rank)
  };

  // Whether this rank steps particle i (2j: pair j's plus, 2j+1: minus).
  bool Owns(int i) const { return i >= owned_.first && i < owned_.second; }
  // Particle i's run.
  InnerRun& Particle(int i) const {
    return i % 2 == 0 ? *pairs_[i / 2].plus : *pairs_[i / 2].minus;
  }
  // Calls job(i) for every owned i in [0, count) of a RankSlice split, on the pool.
  void ForOwned(std::pair<int, int> slice, const std::function<void(int)>& job);

  // A new copy of the learned updater (single-threaded).
  std::unique_ptr<Updater> MakeCopy() const;
  // The task draw of pair j's next unroll.
  TaskDraw DrawTask(int j, std::uint64_t unroll) const;
  // Starts pair j's next unroll (a new task, xi = 0).
  void StartUnroll(Pair& pair, int j);
  // The evaluation set: `count` fixed draws from `mixture` of `length`.
  std::vector<TaskDraw> EvalDraws(const TaskMixture& mixture, std::uint64_t tag,
                                  std::int64_t length) const;
  // The loss of `steps` more steps of `run` (never past its length): their
  // mean normalized loss, plus, for the whole_run objective, the final
  // evaluation (the area under the curve plus the final loss).
  double RunLoss(InnerRun& run, std::int64_t steps) const;
  // Mean loss (RunLoss) of whole unrolls of `draws` at the meta-parameters.
  double EvaluateSet(const TaskMixture& mixture, const std::vector<TaskDraw>& draws, int* diverged);

  MetaConfig config_;                          // the config it was built from
  ConfigNode copy_config_;                     // the optimizer section with threads: 1
  std::unique_ptr<LearnedUpdater> prototype_;  // gives the meta-layout; saves the weights
  std::unique_ptr<Updater> outer_;             // steps the meta-parameters
  TaskMixture mixture_;                        // the training families
  std::unique_ptr<TaskMixture> held_out_;      // null when none
  std::shared_ptr<RankGroup> ranks_;           // who shares particles and evaluations
  std::pair<int, int> owned_;                  // this rank's particles [first, second)
  ThreadPool pool_;                            // runs the particles and evaluations
  Vec meta_params_;                            // theta_M
  Vec start_params_;             // theta_M at the start (the anchor of the weight decay)
  int iteration_ = 0;            // meta-iterations done
  std::uint64_t estimates_ = 0;  // PES estimates made (keys their noise)
  std::vector<Pair> pairs_;      // the antithetic pairs
  Mat eps_;                      // scratch: meta-dim x pairs
  std::vector<std::unique_ptr<InnerRun>> eval_runs_;  // made on first need
};

}  // namespace mnemo
