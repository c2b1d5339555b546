// The ascent direction of an inner task optimised through ES: ask the
// estimator for candidates, evaluate them on the problem, tell the fitness.
// Shared by the blackbox and locomotion task families.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/es/estimator.h"
#include "core/es/problem.h"
#include "core/io/config_node.h"

namespace mnemo {

// An estimator with its noise seed and scratch, sized for one problem.
class EsAscent {
 public:
  // Sizes `estimator` for vectors of length `dim`; `seed` keys its noise.
  EsAscent(std::unique_ptr<Estimator> estimator, int dim, std::uint64_t seed);

  // Builds the estimator of `estimator_config` once, so that its errors name
  // their keys; a whole strategy (CMA-ES), which gives no gradient, is an
  // Error at `type`.
  static void CheckConfig(const ConfigNode& estimator_config);

  // The ES estimate of the ascent direction of `problem` at `theta` for
  // inner step `step` (its noise keyed by (seed, step)).
  Vec Estimate(Problem& problem, const Vec& theta, std::int64_t step);
  // The perturbation scale: the unit of a learned updater's step.
  double Sigma() const { return estimator_->Sigma(); }

 private:
  std::unique_ptr<Estimator> estimator_;
  std::uint64_t seed_;
  std::vector<Vec> candidates_;  // scratch
  std::vector<double> fitness_;  // scratch
};

}  // namespace mnemo
