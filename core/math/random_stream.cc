#include "core/math/random_stream.h"

#include <cmath>
#include <numbers>

namespace mnemo {

std::uint64_t MixBits(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Stream::Stream(std::uint64_t seed, std::uint64_t iteration, std::uint64_t index) {
  std::uint64_t k = MixBits(seed ^ 0x6a09e667f3bcc909ULL);
  k = MixBits(k ^ MixBits(iteration + 0xbb67ae8584caa73bULL));
  k = MixBits(k ^ MixBits(index + 0x3c6ef372fe94f82bULL));
  key_ = k;
}

std::uint64_t Stream::NextBits() {
  // Two rounds over (key, counter): a counter-based generator.
  return MixBits(key_ ^ MixBits(counter_++));
}

double Stream::Uniform() { return static_cast<double>(NextBits() >> 11) * 0x1.0p-53; }

double Stream::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

double Stream::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  // 1 - U is in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - Uniform();
  const double u2 = Uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_normal_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

std::uint64_t Stream::Below(std::uint64_t n) {
  // Lemire's multiply-shift; the bias is below 2^-64 * n, negligible here.
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(NextBits()) * n) >> 64);
}

void Stream::FillNormal(std::span<double> out) {
  for (double& x : out) x = Normal();
}

void Stream::FillUniform(std::span<double> out, double lo, double hi) {
  for (double& x : out) x = Uniform(lo, hi);
}

}  // namespace mnemo
