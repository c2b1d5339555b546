// The ascent direction of an inner task optimised through ES, for the v1
// meta-training, whose inner run steps theta with the learned updater itself:
// one iteration of a GradientStrategy whose updater only records the ascent
// (the project's one Ask -> Evaluate -> Tell, SearchIteration). Shared by the
// blackbox and locomotion task families.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/es/gradient_strategy.h"
#include "core/es/problem.h"

namespace mnemo {

// An estimator with its noise seed and scratch, for one problem's layout.
class EsAscent {
 public:
  // Estimates with `estimator` for parameters of `layout`; `seed` keys its
  // noise.
  EsAscent(std::unique_ptr<GradientEstimator> estimator, const ParamLayout& layout,
           std::uint64_t seed);

  // The ES estimate of the ascent direction of `problem` at `theta` for
  // inner step `step` (its noise keyed by (seed, step)).
  Vec Estimate(Problem& problem, const Vec& theta, std::int64_t step);
  // The perturbation scale: the unit of a learned updater's step.
  double Sigma() const { return sigma_; }

 private:
  ParamLayout layout_;
  std::uint64_t seed_;
  const Vec* ascent_;            // the recorder's last ascent
  GradientStrategy strategy_;    // the estimator and the recorder
  double sigma_;                 // the estimator's sigma
  std::vector<Vec> candidates_;  // scratch
  std::vector<double> fitness_;  // scratch
};

}  // namespace mnemo
