// Positive random features (FAVOR+, Choromanski et al. 2021) in the
// hyperbolic-cosine form:
//   phi(z) = m^(-1/2) exp(-|z|^2/2) [exp(w_i.z), exp(-w_i.z)],  i = 1..m/2,
// with Gaussian directions w_i. phi(q).phi(k) is an unbiased estimate of
// exp(q.k) whose every term is positive, so attention weights built from it
// are never negative.
#pragma once

#include <cstdint>
#include <string>

#include "core/math/types.h"

namespace mnemo {

// How the directions w_i are drawn.
enum class RandomFeatureKind {
  kOrthogonal,  // in blocks of `dim` mutually orthogonal directions, each
                // scaled by the norm of an independent Gaussian vector
  kIid,         // independent standard Gaussian vectors
};

// "orthogonal" or "iid".
std::string RandomFeatureKindName(RandomFeatureKind kind);
// The kind called `name`; an unknown name is an Error.
RandomFeatureKind ParseRandomFeatureKind(const std::string& name);

// A fixed draw of m/2 directions in R^dim and the feature map they define.
class RandomFeatures {
 public:
  // No features (Count() == 0).
  RandomFeatures() = default;
  // Draws `count` / 2 directions (count must be even and positive) from the
  // stream (seed, index): the same arguments give the same features.
  RandomFeatures(int dim, int count, RandomFeatureKind kind, std::uint64_t seed,
                 std::uint64_t index = 0);

  // Dimension of the inputs.
  int Dim() const { return static_cast<int>(directions_.cols()); }
  // Number of features m.
  int Count() const { return 2 * static_cast<int>(directions_.rows()); }
  // The directions, one per row (m/2 x dim).
  const Mat& Directions() const { return directions_; }

  // Writes phi of every row of `z` (n x dim) into the rows of `phi` (n x m).
  void Map(const Eigen::Ref<const Mat>& z, Mat* phi) const;
  // phi of one vector.
  Vec Map(const Vec& z) const;

 private:
  Mat directions_;
};

}  // namespace mnemo
