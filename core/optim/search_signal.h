// What an updater may see of the search at each iteration: the estimator's
// ascent direction and its own nominal step, the exploration sigma, how the
// candidates' returns went, and how far the run is.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/math/types.h"

namespace mnemo {

// The candidates' fitness (returns) of one iteration.
struct ReturnStats {
  double mean = 0.0;         // mean over the candidates
  double spread = 0.0;       // population standard deviation over the candidates
  double best = 0.0;         // the best candidate's
  double best_so_far = 0.0;  // the best candidate's of every iteration of the run so far
};

// The input of Updater::Step.
struct SearchSignal {
  Vec ascent;                        // the ascent direction g (an estimate, or -gradient)
  Vec nominal_step;                  // the estimator's own step (ARS: alpha g)
  double sigma = 1.0;                // exploration scale of this iteration: a learned step's unit
  ReturnStats returns;               // how the candidates did (their fitness)
  std::vector<double> task_returns;  // each candidate's own task return, unshaped (ARS's
                                     // reward shift taken back); the fitness where none
  std::int64_t iteration = 0;        // iterations before this one
  double budget_fraction = 0.0;      // fraction of the run's budget spent before it, in [0, 1]
};

// Mean, population standard deviation and best of `fitness` (best_so_far is
// set to the best); zeros for no fitness.
ReturnStats SummarizeReturns(std::span<const double> fitness);

// A signal for a plain gradient step: ascent `ascent`, unit `sigma`, nominal
// step sigma * ascent, nothing known of returns (exact-gradient tasks, tests,
// benchmarks of updaters).
SearchSignal GradientSignal(const Vec& ascent, double sigma = 1.0);

}  // namespace mnemo
