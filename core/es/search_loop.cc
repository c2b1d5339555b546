#include "core/es/search_loop.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/io/error.h"

namespace mnemo {

EsIterationStats EsIteration(Problem& problem, Estimator& estimator, Updater* updater,
                             std::uint64_t seed, std::uint64_t iteration, Vec* theta,
                             std::vector<Vec>* candidates, EvalStats* stats) {
  estimator.Ask(*theta, seed, iteration, candidates);
  std::vector<double> fitness(candidates->size());
  EvalStats local;
  problem.Evaluate(*candidates, fitness, stats != nullptr ? stats : &local);
  const Vec ascent = estimator.Tell(fitness);

  EsIterationStats out;
  out.candidates = static_cast<int>(fitness.size());
  if (!fitness.empty()) {
    out.mean_fitness = std::accumulate(fitness.begin(), fitness.end(), 0.0) / fitness.size();
    out.best_fitness = *std::max_element(fitness.begin(), fitness.end());
  }
  out.ascent_norm = ascent.norm();
  const Vec before = *theta;
  if (updater != nullptr && !estimator.OwnsStep()) {
    updater->SetStepScale(estimator.Sigma());
    updater->Step(ascent, theta);
  } else {
    *theta += ascent;
  }
  out.step_norm = (*theta - before).norm();
  return out;
}

SearchLoop::SearchLoop(Problem& problem, Estimator& estimator, Updater* updater, Vec theta,
                       std::uint64_t seed)
    : problem_(problem),
      estimator_(estimator),
      updater_(updater),
      theta_(std::move(theta)),
      seed_(seed) {
  if (theta_.size() != problem_.Dim()) {
    throw Error("search: initial theta has " + std::to_string(theta_.size()) +
                " numbers, the problem has " + std::to_string(problem_.Dim()));
  }
  estimator_.Reset(problem_.Dim());
  if (updater_ != nullptr) {
    updater_->Reset(problem_.Layout());
    updater_->SetStepScale(estimator_.Sigma());
  }
}

EsIterationStats SearchLoop::Iterate(EvalStats* stats) {
  const EsIterationStats result =
      EsIteration(problem_, estimator_, updater_, seed_, static_cast<std::uint64_t>(iteration_),
                  &theta_, &candidates_, stats);
  ++iteration_;
  return result;
}

void SearchLoop::SaveState(BinaryWriter& out) const {
  out.WriteI64(iteration_);
  out.WriteVec(theta_);
  estimator_.SaveState(out);
  if (updater_ != nullptr) updater_->SaveState(out);
}

void SearchLoop::LoadState(BinaryReader& in) {
  iteration_ = static_cast<int>(in.ReadI64());
  Vec theta = in.ReadVec();
  if (theta.size() != problem_.Dim()) {
    throw Error("search state: theta of the wrong size");
  }
  theta_ = std::move(theta);
  estimator_.LoadState(in);
  if (updater_ != nullptr) updater_->LoadState(in);
}

EsHistory RunEs(Problem& problem, Estimator& estimator, Updater* updater, Vec theta, int iterations,
                std::uint64_t seed, double target) {
  SearchLoop loop(problem, estimator, updater, std::move(theta), seed);
  EsHistory history;
  double center = 0.0;
  bool reached = false;
  while (loop.Iteration() < iterations && !reached) {
    const EsIterationStats step = loop.Iterate(&history.stats);
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
