#include "core/meta/tasks/es_ascent.h"

namespace mnemo {

EsAscent::EsAscent(std::unique_ptr<GradientEstimator> estimator, int dim, std::uint64_t seed)
    : estimator_(std::move(estimator)), seed_(seed) {
  estimator_->Reset(dim);
}

Vec EsAscent::Estimate(Problem& problem, const Vec& theta, std::int64_t step) {
  estimator_->Ask(theta, estimator_->InitialSigma(), seed_, static_cast<std::uint64_t>(step),
                  &candidates_);
  fitness_.resize(candidates_.size());
  EvalStats stats;
  problem.Evaluate(candidates_, fitness_, &stats);
  return estimator_->Tell(fitness_);
}

}  // namespace mnemo
