#include "core/es/search_loop.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>

#include "core/util/error.h"

namespace mnemo {

SearchLoop::SearchLoop(Problem& problem, Strategy& strategy, Vec theta, std::uint64_t seed)
    : problem_(problem), strategy_(strategy), seed_(seed) {
  strategy_.Reset(problem_.Layout(), std::move(theta));
}

EsIterationStats SearchIteration(Problem& problem, Strategy& strategy, std::uint64_t seed,
                                 std::uint64_t iteration, double budget_fraction,
                                 std::vector<Vec>* candidates, std::vector<double>* fitness,
                                 EvalStats* stats) {
  strategy.Ask(seed, iteration, candidates);
  fitness->assign(candidates->size(), 0.0);
  EvalStats local;
  problem.Evaluate(*candidates, *fitness, stats != nullptr ? stats : &local);
  const StrategyStep step = strategy.Tell(*fitness, problem.LastTaskReturns(), budget_fraction);

  EsIterationStats out;
  out.candidates = static_cast<int>(fitness->size());
  if (!fitness->empty()) {
    out.mean_fitness = std::accumulate(fitness->begin(), fitness->end(), 0.0) / fitness->size();
    out.best_fitness = *std::max_element(fitness->begin(), fitness->end());
  }
  out.ascent_norm = step.ascent_norm;
  out.step_norm = step.step_norm;
  return out;
}

EsIterationStats SearchLoop::Iterate(EvalStats* stats, double budget_fraction) {
  const EsIterationStats out =
      SearchIteration(problem_, strategy_, seed_, static_cast<std::uint64_t>(iteration_),
                      budget_fraction, &candidates_, &fitness_, stats);
  ++iteration_;
  return out;
}

void SearchLoop::SaveState(BinaryWriter& out) const {
  out.WriteI64(iteration_);
  strategy_.SaveState(out);
}

void SearchLoop::LoadState(BinaryReader& in) {
  const std::int64_t iteration = in.ReadI64();
  if (iteration < 0 || iteration > std::numeric_limits<int>::max()) {
    throw Error("search state: iteration " + std::to_string(iteration) + " out of range");
  }
  iteration_ = static_cast<int>(iteration);
  strategy_.LoadState(in);
}

EsHistory RunEs(Problem& problem, Strategy& strategy, Vec theta, int iterations, std::uint64_t seed,
                double target) {
  SearchLoop loop(problem, strategy, std::move(theta), seed);
  EsHistory history;
  double center = 0.0;
  bool reached = false;
  while (loop.Iteration() < iterations && !reached) {
    const EsIterationStats step =
        loop.Iterate(&history.stats, double(loop.Iteration()) / double(iterations));
    history.evaluations += step.candidates;
    history.iterations.push_back(step);
    problem.Evaluate({&loop.Theta(), 1}, {&center, 1}, &history.stats);
    history.center_fitness.push_back(center);
    reached = center >= target;
  }
  history.theta = loop.Theta();
  return history;
}

}  // namespace mnemo
