// The common part of the gradient estimators built on antithetic pairs (ARS,
// OpenAI-ES): sampling, the perturbation scale and the exact state.
#pragma once

#include <cstdint>
#include <vector>

#include "core/es/antithetic_sampler.h"
#include "core/es/gradient_estimator.h"

namespace mnemo {

// An estimator that asks for `pairs_` antithetic pairs theta +/- sigma eps_k
// and keeps no state but its sampler's; subclasses read pairs_, sigma_ and
// step_size_ in their constructors (ReadCommonKeys) and turn the pairs'
// fitness into a gradient in Tell.
class AntitheticEstimator : public GradientEstimator {
 public:
  void Reset(int dim) final { sampler_.Reset(dim, pairs_); }
  void Ask(const Vec& theta, double sigma, std::uint64_t seed, std::uint64_t iteration,
           std::vector<Vec>* xs) final {
    sampler_.Sample(theta, sigma, seed, iteration, xs);
  }
  double InitialSigma() const final { return sigma_; }
  double StepSize() const final { return step_size_; }
  void SaveState(BinaryWriter& out) const final;
  void LoadState(BinaryReader& in) final;

 protected:
  // Reads `directions`, `sigma` and `step_size` with these defaults.
  void ReadCommonKeys(const ConfigNode& config, int directions, double sigma, double step_size);

  int pairs_ = 0;           // antithetic pairs per iteration (ARS's N)
  double sigma_ = 0.0;      // first perturbation scale (ARS's nu)
  double step_size_ = 0.0;  // the nominal step's size (ARS's alpha)
  AntitheticSampler sampler_;
};

}  // namespace mnemo
