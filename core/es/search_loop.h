// The search loop: ask the strategy for candidates, evaluate them on the
// problem, tell the strategy their fitness (and theta moves). The same loop
// serves robots and synthetic problems: a small stateful driver (the trainer
// builds on it) and a whole run on a Problem (tests, meta-training).
#pragma once

#include <cstdint>
#include <vector>

#include "core/es/problem.h"
#include "core/es/strategy.h"
#include "core/io/binary_io.h"

namespace mnemo {

// What one iteration saw and did.
struct EsIterationStats {
  int candidates = 0;         // candidates evaluated
  double mean_fitness = 0.0;  // mean candidate fitness
  double best_fitness = 0.0;  // best candidate fitness
  double ascent_norm = 0.0;   // |search direction| (StrategyStep)
  double step_norm = 0.0;     // |theta after - theta before|
};

// One iteration of `strategy` on `problem`: Ask (noise keyed by `seed` and
// `iteration`), Evaluate, Tell. The project's one Ask -> Evaluate -> Tell,
// for SearchLoop and for the ES ascent of meta-training's inner tasks;
// `candidates` and `fitness` are scratch reused across calls; costs add to
// `stats` (may be null); `budget_fraction` is what the strategy is told of
// the run's budget spent.
EsIterationStats SearchIteration(Problem& problem, Strategy& strategy, std::uint64_t seed,
                                 std::uint64_t iteration, double budget_fraction,
                                 std::vector<Vec>* candidates, std::vector<double>* fitness,
                                 EvalStats* stats);

// Drives one search of a strategy on a problem.
class SearchLoop {
 public:
  // Starts `strategy` (reset for `problem`) at `theta`; candidate noise is
  // keyed by `seed` and the iteration, so results never depend on the thread
  // count.
  SearchLoop(Problem& problem, Strategy& strategy, Vec theta, std::uint64_t seed);

  // Runs one iteration (Ask, Evaluate, Tell); costs add to `stats` (may be
  // null); `budget_fraction` is the fraction of the run's budget spent
  // before it.
  EsIterationStats Iterate(EvalStats* stats = nullptr, double budget_fraction = 0.0);

  const Vec& Theta() const { return strategy_.Theta(); }
  // Iterations done.
  int Iteration() const { return iteration_; }
  // Writes the iteration and the strategy's state.
  void SaveState(BinaryWriter& out) const;
  // Restores what SaveState wrote.
  void LoadState(BinaryReader& in);

 private:
  Problem& problem_;
  Strategy& strategy_;
  std::uint64_t seed_;
  int iteration_ = 0;
  std::vector<Vec> candidates_;  // scratch
  std::vector<double> fitness_;  // scratch
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
EsHistory RunEs(Problem& problem, Strategy& strategy, Vec theta, int iterations, std::uint64_t seed,
                double target = 1e300);

}  // namespace mnemo
