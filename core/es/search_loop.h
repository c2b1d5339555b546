// The search loop: ask for candidates, evaluate them, tell the fitness, step
// theta. The same loop serves robots and synthetic problems: one iteration as
// a function (the trainer builds on it), a small stateful driver, and a whole
// run on a Problem (tests, meta-training).
#pragma once

#include <cstdint>
#include <vector>

#include "core/es/estimator.h"
#include "core/es/problem.h"
#include "core/io/binary_io.h"
#include "core/optim/updater.h"

namespace mnemo {

// What one iteration saw and did.
struct EsIterationStats {
  int candidates = 0;         // candidates evaluated
  double mean_fitness = 0.0;  // mean candidate fitness
  double best_fitness = 0.0;  // best candidate fitness
  double ascent_norm = 0.0;   // |Tell's result|
  double step_norm = 0.0;     // |theta after - theta before|
};

// One iteration: Ask around theta (noise keyed by seed and iteration),
// evaluate the candidates, Tell their fitness, then move theta. The move is
// the estimator's own when it OwnsStep() (the updater is then unused), the
// updater's Step otherwise (its step scale set to the estimator's Sigma()),
// or theta += ascent when `updater` is null. `candidates` is scratch reused
// across calls; costs add to `stats` (may be null).
EsIterationStats EsIteration(Problem& problem, Estimator& estimator, Updater* updater,
                             std::uint64_t seed, std::uint64_t iteration, Vec* theta,
                             std::vector<Vec>* candidates, EvalStats* stats);

// Drives one search: theta -> Ask -> Evaluate -> Tell -> Updater.Step.
// Whole strategies (CMA-ES) move theta themselves; then updater may be null.
class SearchLoop {
 public:
  // Starts from `theta`, resetting the estimator and updater for `problem`;
  // candidate noise is keyed by `seed` and the iteration, so results never
  // depend on the thread count.
  SearchLoop(Problem& problem, Estimator& estimator, Updater* updater, Vec theta,
             std::uint64_t seed);

  // Runs one iteration; costs add to `stats` (may be null).
  EsIterationStats Iterate(EvalStats* stats = nullptr);

  // Current parameters.
  const Vec& Theta() const { return theta_; }
  // Iterations done.
  int Iteration() const { return iteration_; }
  // Writes theta, the iteration and the estimator's and updater's state.
  void SaveState(BinaryWriter& out) const;
  // Restores what SaveState wrote.
  void LoadState(BinaryReader& in);

 private:
  Problem& problem_;
  Estimator& estimator_;
  Updater* updater_;
  Vec theta_;
  std::uint64_t seed_;
  int iteration_ = 0;
  std::vector<Vec> candidates_;  // scratch
};

// A whole search and what it went through.
struct EsHistory {
  std::vector<EsIterationStats> iterations;  // per iteration
  std::vector<double> center_fitness;        // fitness of theta after each iteration
  Vec theta;                                 // final theta
  std::int64_t evaluations = 0;              // candidate evaluations (not centers)
  EvalStats stats;                           // evaluation costs (centers included)
};

// Runs `iterations` iterations of a fresh SearchLoop from `theta` with noise
// keyed by `seed`, evaluating theta after each one. Stops early once the
// fitness of theta reaches `target`.
EsHistory RunEs(Problem& problem, Estimator& estimator, Updater* updater, Vec theta, int iterations,
                std::uint64_t seed, double target = 1e300);

}  // namespace mnemo
