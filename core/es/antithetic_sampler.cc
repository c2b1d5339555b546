#include "core/es/antithetic_sampler.h"

#include <cmath>
#include <string>

#include "core/math/random_stream.h"
#include "core/util/error.h"

namespace mnemo {

void FillNoise(std::uint64_t seed, std::uint64_t iteration, std::uint64_t index,
               std::span<double> out) {
  Stream stream(seed, iteration, index);
  stream.FillNormal(out);
}

void AntitheticSampler::Reset(int dim, int pairs) {
  dim_ = dim;
  pairs_ = pairs;
  noise_.resize(dim, pairs);
  center_ = Vec::Zero(dim);
  pending_ = false;
}

void AntitheticSampler::Sample(const Vec& theta, double sigma, std::uint64_t seed,
                               std::uint64_t iteration, std::vector<Vec>* xs) {
  if (theta.size() != dim_) {
    throw Error("search: theta has " + std::to_string(theta.size()) +
                " numbers, the estimator was sized for " + std::to_string(dim_));
  }
  seed_ = seed;
  iteration_ = iteration;
  center_ = theta;
  sigma_ = sigma;
  DrawNoise();
  xs->resize(2 * pairs_);
  for (int k = 0; k < pairs_; ++k) {
    (*xs)[2 * k] = theta + sigma * noise_.col(k);
    (*xs)[2 * k + 1] = theta - sigma * noise_.col(k);
  }
  pending_ = true;
}

void AntitheticSampler::Split(std::span<const double> fitness, std::vector<double>* plus,
                              std::vector<double>* minus) const {
  if (!pending_) throw Error("search: Tell without a pending Ask");
  if (static_cast<int>(fitness.size()) != 2 * pairs_) {
    throw Error("search: told " + std::to_string(fitness.size()) + " fitness values for " +
                std::to_string(2 * pairs_) + " candidates");
  }
  plus->resize(pairs_);
  minus->resize(pairs_);
  for (int k = 0; k < pairs_; ++k) {
    (*plus)[k] = fitness[2 * k];
    (*minus)[k] = fitness[2 * k + 1];
  }
}

Vec AntitheticSampler::Combine(const Vec& weights) const { return noise_ * weights; }

void AntitheticSampler::SaveState(BinaryWriter& out) const {
  out.WriteU64(pending_ ? 1 : 0);
  out.WriteU64(seed_);
  out.WriteU64(iteration_);
  out.WriteVec(center_);
  out.WriteDouble(sigma_);
}

void AntitheticSampler::LoadState(BinaryReader& in) {
  pending_ = in.ReadU64() != 0;
  seed_ = in.ReadU64();
  iteration_ = in.ReadU64();
  center_ = in.ReadVec();
  if (center_.size() != dim_) throw Error("search state: wrong center size");
  sigma_ = in.ReadDouble();
  if (!std::isfinite(sigma_) || sigma_ < 0.0) {
    throw Error("search state: sampler sigma " + std::to_string(sigma_) + " out of range");
  }
  if (pending_) DrawNoise();
}

void AntitheticSampler::DrawNoise() {
  for (int k = 0; k < pairs_; ++k) {
    FillNoise(seed_, iteration_, k, {noise_.col(k).data(), static_cast<std::size_t>(dim_)});
  }
}

}  // namespace mnemo
