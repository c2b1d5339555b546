#include "core/es/search_loop.h"

#include <algorithm>
#include <numeric>

#include "core/io/error.h"

namespace mnemo {

SearchLoop::SearchLoop(Problem& problem, Estimator& estimator, Updater* updater,
                       Vec theta, std::uint64_t seed)
    : problem_(problem),
      estimator_(estimator),
      updater_(updater),
      theta_(std::move(theta)),
      seed_(seed) {
  if (theta_.size() != problem_.Dim()) {
    throw Error("search: initial theta has " + std::to_string(theta_.size()) +
                " numbers, the problem has " + std::to_string(problem_.Dim()));
  }
  if (!estimator_.OwnsStep() && updater_ == nullptr) {
    throw Error("search: estimator '" + estimator_.Name() + "' needs an optimizer");
  }
  estimator_.Reset(problem_.Dim());
  if (updater_ != nullptr) updater_->Reset(problem_.Layout());
}

IterationResult SearchLoop::Iterate() {
  IterationResult result;
  result.iteration = iteration_;
  estimator_.Ask(theta_, seed_, static_cast<std::uint64_t>(iteration_), &candidates_);
  fitness_.assign(candidates_.size(), 0.0);
  problem_.Evaluate(candidates_, fitness_, &result.cost);
  result.fitness_mean =
      std::accumulate(fitness_.begin(), fitness_.end(), 0.0) / std::max<size_t>(1, fitness_.size());
  result.fitness_max = *std::max_element(fitness_.begin(), fitness_.end());
  const Vec ascent = estimator_.Tell(fitness_);
  result.ascent_norm = ascent.norm();
  const Vec before = theta_;
  if (estimator_.OwnsStep()) {
    theta_ += ascent;
  } else {
    updater_->SetStepScale(estimator_.Sigma());
    updater_->Step(ascent, &theta_);
  }
  result.step_norm = (theta_ - before).norm();
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
  if (theta.size() != problem_.Dim()) throw Error("search state: theta of the wrong size");
  theta_ = std::move(theta);
  estimator_.LoadState(in);
  if (updater_ != nullptr) updater_->LoadState(in);
}

}  // namespace mnemo
