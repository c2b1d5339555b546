// Gradient estimates from samples (ARS, OpenAI-ES): ask for candidates around
// theta, tell their fitness, get an ascent direction. The step itself is an
// Updater's (see core/es/gradient_strategy.h).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/math/types.h"
#include "core/util/registry.h"

namespace mnemo {

// Sampling and estimation of one gradient-based ES: candidates in, ascent
// estimate out. It never moves theta.
class GradientEstimator {
 public:
  virtual ~GradientEstimator() = default;

  // Registry name.
  virtual std::string Name() const = 0;
  // Sizes the estimator for vectors of length `dim`.
  virtual void Reset(int dim) = 0;
  // Candidates to evaluate around theta, perturbed with scale `sigma`.
  // Candidate k's noise must come from Stream(seed, iteration, k) so results
  // never depend on thread count.
  virtual void Ask(const Vec& theta, double sigma, std::uint64_t seed, std::uint64_t iteration,
                   std::vector<Vec>* xs) = 0;
  // The ascent direction from the candidates' fitness (same order as Ask).
  virtual Vec Tell(std::span<const double> fitness) = 0;
  // The perturbation scale of the first iteration (the config's `sigma`).
  virtual double InitialSigma() const = 0;
  // The step size of the estimator's own step, alpha g (`step_size`: ARS's
  // alpha).
  virtual double StepSize() const = 0;
  // Writes the state (for exact resume).
  virtual void SaveState(BinaryWriter& out) const = 0;
  // Restores what SaveState wrote.
  virtual void LoadState(BinaryReader& in) = 0;
};

// Gradient estimators by name, built from their config section (`search:`).
using GradientEstimatorRegistry = Registry<GradientEstimator, const ConfigNode&>;

// Builds the gradient estimator named by `config`'s `type` key (default
// "ars").
std::unique_ptr<GradientEstimator> MakeGradientEstimator(const ConfigNode& config);

}  // namespace mnemo
