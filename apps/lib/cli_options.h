// Checks of command-line values that say what is wrong in words ("--episodes:
// must be an integer from 1 to 1000000, not 0"), for every program: the
// CLI11 checks they replace print ranges as 300-digit numbers, and a signed
// value given to an unsigned option wraps around unseen.
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "core/parallel/thread_pool.h"
#include "core/util/error.h"

namespace mnemo {

// A check that the value is an integer from `lo` to `hi` (written in
// decimal digits, with a sign only when `lo` is negative).
inline CLI::Validator IntegerIn(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        long long value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || at != end || value < lo || value > hi) {
          return "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 ", not '" + text + "'";
        }
        return "";
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

// A check that the value is an unsigned 64-bit integer (decimal digits, no
// sign): a seed.
inline CLI::Validator Unsigned64() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || at != end) {
          return "must be an integer from 0 to " +
                 std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", not '" + text + "'";
        }
        return "";
      },
      "UINT");
}

// A check that the value is a number from `lo` to `hi`.
inline CLI::Validator NumberIn(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || at != end || !(value >= lo && value <= hi)) {
          char range[64];
          std::snprintf(range, sizeof range, "%g to %g", lo, hi);
          return std::string("must be a number from ") + range + ", not '" + text + "'";
        }
        return "";
      },
      "NUMBER");
}

// A check that the value is a thread count: 0 (all cores) to kMaxThreads
// (CheckThreadCount, as every config's `threads` is checked).
inline CLI::Validator ThreadCount() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        long long value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || at != end) {
          return "must be a thread count from 0 (all cores) to " + std::to_string(kMaxThreads) +
                 ", not '" + text + "'";
        }
        try {
          CheckThreadCount(value, "");
        } catch (const Error& e) {
          return e.what();
        }
        return "";
      },
      "THREADS in [0 - " + std::to_string(kMaxThreads) + "]");
}

}  // namespace mnemo
