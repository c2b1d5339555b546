#include "core/meta/es_ascent.h"

namespace mnemo {

EsAscent::EsAscent(std::unique_ptr<Estimator> estimator, int dim, std::uint64_t seed)
    : estimator_(std::move(estimator)), seed_(seed) {
  estimator_->Reset(dim);
}

void EsAscent::CheckConfig(const ConfigNode& estimator_config) {
  if (MakeEstimator(estimator_config)->OwnsStep()) {
    throw estimator_config.ErrorAt(
        "type", "needs a gradient estimator (ars, openai_es), not a whole strategy");
  }
}

Vec EsAscent::Estimate(Problem& problem, const Vec& theta, std::int64_t step) {
  estimator_->Ask(theta, seed_, static_cast<std::uint64_t>(step), &candidates_);
  fitness_.resize(candidates_.size());
  EvalStats stats;
  problem.Evaluate(candidates_, fitness_, &stats);
  return estimator_->Tell(fitness_);
}

}  // namespace mnemo
