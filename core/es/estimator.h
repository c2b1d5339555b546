// Gradient estimates from samples: ask for candidates, tell their fitness.
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

// One ES strategy's sampling and estimation. Estimators that only estimate a
// gradient (ARS, OpenAI-ES) leave the step to an Updater; whole strategies
// (CMA-ES) move theta themselves and say so with OwnsStep().
class Estimator {
 public:
  virtual ~Estimator() = default;

  // Registry name.
  virtual std::string Name() const = 0;
  // Sizes the estimator for vectors of length `dim`.
  virtual void Reset(int dim) = 0;
  // Candidates to evaluate around theta. Candidate k's noise must come from
  // Stream(seed, iteration, k) so results never depend on thread count.
  virtual void Ask(const Vec& theta, std::uint64_t seed, std::uint64_t iteration,
                   std::vector<Vec>* xs) = 0;
  // The ascent direction from the candidates' fitness (same order as Ask).
  // Whole strategies return the new theta minus the old one.
  virtual Vec Tell(std::span<const double> fitness) = 0;
  // True when Tell's result is the step itself (no Updater).
  virtual bool OwnsStep() const { return false; }
  // The perturbation scale sigma (the unit of a learned updater's step).
  virtual double Sigma() const = 0;
  // Writes the state (for exact resume).
  virtual void SaveState(BinaryWriter& out) const = 0;
  // Restores what SaveState wrote.
  virtual void LoadState(BinaryReader& in) = 0;
};

// Estimators by name, built from their config section (`search:`).
using EstimatorRegistry = Registry<Estimator, const ConfigNode&>;

// Builds the estimator named by `config`'s `type` key (default "ars").
std::unique_ptr<Estimator> MakeEstimator(const ConfigNode& config);

// Writes the header every estimator state starts with: the estimator's name
// and the dimension it was sized for.
void WriteStateHeader(BinaryWriter& out, const std::string& name, int dim);
// Reads a header back; throws Error when it belongs to another estimator or
// another dimension.
void ReadStateHeader(BinaryReader& in, const std::string& name, int dim);

}  // namespace mnemo
