// The common part of the gradient estimators built on antithetic pairs (ARS,
// OpenAI-ES): sampling, the perturbation scale and the exact state.
#pragma once

#include <cstdint>
#include <vector>

#include "core/es/antithetic_sampler.h"
#include "core/es/gradient_estimator.h"

namespace mnemo {

// An estimator that asks for `pairs_` antithetic pairs theta +/- sigma_ eps_k
// and keeps no state but its sampler's; subclasses set pairs_ and sigma_ in
// their constructors and turn the pairs' fitness into a gradient in Tell.
class AntitheticEstimator : public GradientEstimator {
 public:
  void Reset(int dim) final { sampler_.Reset(dim, pairs_); }
  void Ask(const Vec& theta, std::uint64_t seed, std::uint64_t iteration,
           std::vector<Vec>* xs) final {
    sampler_.Sample(theta, sigma_, seed, iteration, xs);
  }
  double Sigma() const final { return sigma_; }
  void SaveState(BinaryWriter& out) const final;
  void LoadState(BinaryReader& in) final;

 protected:
  int pairs_ = 0;       // antithetic pairs per iteration (ARS's N)
  double sigma_ = 0.0;  // perturbation scale (ARS's nu)
  AntitheticSampler sampler_;
};

}  // namespace mnemo
