// The random numbers of the fuzz drivers and mutators: a small
// deterministic generator (splitmix64), so that the replay driver makes the
// same mutants on every machine and every run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mnemo::fuzz {

// splitmix64: one 64-bit state, every call a new number.
struct Rng {
  std::uint64_t state;  // advanced by every call

  // The next number.
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A number from 0 to n - 1 (0 when n is 0).
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : Next() % n; }
  // One entry of the array `items`.
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
};

}  // namespace mnemo::fuzz
