// Counter-based random streams: every draw depends only on a key (seed,
// iteration, index) and a position in the stream, never on thread scheduling.
#pragma once

#include <cstdint>
#include <span>

namespace mnemo {

// Mixes 64 bits into 64 well-distributed bits (the SplitMix64 finaliser).
std::uint64_t MixBits(std::uint64_t x);

// A reproducible stream of random numbers keyed by (seed, iteration, index).
// Two streams with the same key give the same numbers in the same order.
class Stream {
 public:
  // The stream for one candidate (index) of one iteration of one run (seed).
  Stream(std::uint64_t seed, std::uint64_t iteration = 0, std::uint64_t index = 0);

  // The next 64 random bits.
  std::uint64_t NextBits();
  // A uniform number in [0, 1).
  double Uniform();
  // A uniform number in [lo, hi).
  double Uniform(double lo, double hi);
  // A standard normal number (Box-Muller; pairs are used in order).
  double Normal();
  // A uniform integer in [0, n).
  std::uint64_t Below(std::uint64_t n);
  // Fills `out` with standard normal numbers.
  void FillNormal(std::span<double> out);
  // Fills `out` with uniform numbers in [lo, hi).
  void FillUniform(std::span<double> out, double lo, double hi);

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace mnemo
