// The ascent direction of an inner task optimised through ES: ask the
// gradient estimator for candidates, evaluate them on the problem, tell the
// fitness. Shared by the blackbox and locomotion task families.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/es/gradient_estimator.h"
#include "core/es/problem.h"
#include "core/io/config_node.h"

namespace mnemo {

// An estimator with its noise seed and scratch, sized for one problem.
class EsAscent {
 public:
  // Sizes `estimator` for vectors of length `dim`; `seed` keys its noise.
  EsAscent(std::unique_ptr<GradientEstimator> estimator, int dim, std::uint64_t seed);

  // The ES estimate of the ascent direction of `problem` at `theta` for
  // inner step `step` (its noise keyed by (seed, step)).
  Vec Estimate(Problem& problem, const Vec& theta, std::int64_t step);
  // The perturbation scale: the unit of a learned updater's step.
  double Sigma() const { return estimator_->InitialSigma(); }

 private:
  std::unique_ptr<GradientEstimator> estimator_;
  std::uint64_t seed_;
  std::vector<Vec> candidates_;  // scratch
  std::vector<double> fitness_;  // scratch
};

}  // namespace mnemo
