// The search loop: ask for candidates, evaluate them, tell the fitness,
// step theta. The same loop serves robots and synthetic problems.
#pragma once

#include <cstdint>
#include <vector>

#include "core/es/estimator.h"
#include "core/es/problem.h"
#include "core/optim/updater.h"

namespace mnemo {

// What one iteration did.
struct IterationResult {
  int iteration = 0;           // index of the iteration just done (0-based)
  double fitness_mean = 0;     // over the candidates
  double fitness_max = 0;
  double ascent_norm = 0;      // |g| from the estimator
  double step_norm = 0;        // |theta_new - theta_old|
  EvalStats cost;              // what the candidates' evaluation cost
};

// Drives one search: theta -> Ask -> Evaluate -> Tell -> Updater.Step.
// Whole strategies (CMA-ES) move theta themselves; then updater may be null.
class SearchLoop {
 public:
  // Starts from `theta`; candidate noise is keyed by `seed` and the
  // iteration, so results never depend on the thread count.
  SearchLoop(Problem& problem, Estimator& estimator, Updater* updater, Vec theta,
             std::uint64_t seed);

  // Runs one iteration.
  IterationResult Iterate();

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
  std::vector<Vec> candidates_;
  std::vector<double> fitness_;
};

}  // namespace mnemo
