// Antithetic Gaussian perturbations theta +/- sigma * eps_k, shared by the
// gradient estimators (ARS, OpenAI-ES).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/io/binary_io.h"
#include "core/math/types.h"

namespace mnemo {

// Fills `out` with the standard normal noise of candidate `index` of
// `iteration`: Stream(seed, iteration, index), whatever order or thread
// candidates are drawn in.
void FillNoise(std::uint64_t seed, std::uint64_t iteration, std::uint64_t index,
               std::span<double> out);

// Draws `pairs` antithetic pairs around theta and keeps their noise until the
// fitness is told. Candidate 2k is theta + sigma eps_k, candidate 2k + 1 is
// theta - sigma eps_k, with eps_k from FillNoise(seed, iteration, k).
class AntitheticSampler {
 public:
  // Sizes for `pairs` pairs of vectors of length `dim`; forgets any sample.
  void Reset(int dim, int pairs);
  // Draws the pairs around `theta` into `xs` (2 * pairs candidates).
  void Sample(const Vec& theta, double sigma, std::uint64_t seed, std::uint64_t iteration,
              std::vector<Vec>* xs);
  // Splits the fitness of the pending sample into the returns of the plus
  // and minus candidates; throws Error if nothing is pending or the count is
  // wrong.
  void Split(std::span<const double> fitness, std::vector<double>* plus,
             std::vector<double>* minus) const;
  // sum_k weights[k] * eps_k over the pending sample.
  Vec Combine(const Vec& weights) const;
  // The theta the pending sample was drawn around.
  const Vec& Center() const { return center_; }
  // The perturbation scale of the pending sample.
  double Sigma() const { return sigma_; }
  // Marks the pending sample as told.
  void Finish() { pending_ = false; }

  // Length of the vectors.
  int Dim() const { return dim_; }

  // Writes the pending sample's key, center and sigma (the noise is
  // redrawn).
  void SaveState(BinaryWriter& out) const;
  // Restores what SaveState wrote (Reset must have sized the sampler).
  void LoadState(BinaryReader& in);

 private:
  // Redraws noise_ from (seed_, iteration_).
  void DrawNoise();

  int dim_ = 0;
  int pairs_ = 0;
  Mat noise_;           // dim x pairs: column k is eps_k
  Vec center_;          // theta of the pending sample
  double sigma_ = 0.0;  // perturbation scale of the pending sample
  bool pending_ = false;
  std::uint64_t seed_ = 0;
  std::uint64_t iteration_ = 0;
};

}  // namespace mnemo
