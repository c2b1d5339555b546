#include "core/es/search_loop.h"

#include <algorithm>
#include <numeric>

namespace mnemo {

SearchLoop::SearchLoop(Problem& problem, Strategy& strategy, Vec theta, std::uint64_t seed)
    : problem_(problem), strategy_(strategy), seed_(seed) {
  strategy_.Reset(problem_.Layout(), std::move(theta));
}

EsIterationStats SearchLoop::Iterate(EvalStats* stats, double budget_fraction) {
  strategy_.Ask(seed_, static_cast<std::uint64_t>(iteration_), &candidates_);
  fitness_.assign(candidates_.size(), 0.0);
  EvalStats local;
  problem_.Evaluate(candidates_, fitness_, stats != nullptr ? stats : &local);
  const StrategyStep step = strategy_.Tell(fitness_, budget_fraction);
  ++iteration_;

  EsIterationStats out;
  out.candidates = static_cast<int>(fitness_.size());
  if (!fitness_.empty()) {
    out.mean_fitness = std::accumulate(fitness_.begin(), fitness_.end(), 0.0) / fitness_.size();
    out.best_fitness = *std::max_element(fitness_.begin(), fitness_.end());
  }
  out.ascent_norm = step.ascent_norm;
  out.step_norm = step.step_norm;
  return out;
}

void SearchLoop::SaveState(BinaryWriter& out) const {
  out.WriteI64(iteration_);
  strategy_.SaveState(out);
}

void SearchLoop::LoadState(BinaryReader& in) {
  iteration_ = static_cast<int>(in.ReadI64());
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
