// Tests of core/math: random streams, running statistics, parameter layouts.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/math/param_layout.h"
#include "core/math/random_stream.h"
#include "core/math/running_stats.h"

using namespace mnemo;

TEST_CASE("a stream depends only on its key") {
  Stream a(5, 7, 9), b(5, 7, 9), c(5, 7, 10), d(5, 8, 9), e(6, 7, 9);
  const double first = a.Uniform();
  CHECK(first == b.Uniform());
  CHECK(first != c.Uniform());
  CHECK(first != d.Uniform());
  CHECK(first != e.Uniform());
  // Drawing from one stream does not disturb a fresh one with the same key.
  for (int i = 0; i < 100; ++i) a.NextBits();
  Stream b2(5, 7, 9);
  CHECK(b2.Uniform() == first);
}

TEST_CASE("normal draws have mean 0 and variance 1 within statistical bounds") {
  Stream s(42);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = s.Normal();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  const double var = sum_sq / n - mean * mean;
  // Standard errors: 1/sqrt(n) for the mean, sqrt(2/n) for the variance; 5 sigma.
  CHECK(std::abs(mean) < 5.0 / std::sqrt(n));
  CHECK(std::abs(var - 1.0) < 5.0 * std::sqrt(2.0 / n));
}

TEST_CASE("uniform draws stay in range and Below is unbiased") {
  Stream s(3);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 40000; ++i) {
    const double u = s.Uniform(-2, 3);
    CHECK(u >= -2);
    CHECK(u < 3);
    ++counts[s.Below(4)];
  }
  for (int c : counts) CHECK(std::abs(c - 10000) < 5 * std::sqrt(10000 * 0.75));
}

TEST_CASE("merged running statistics equal the statistics of the whole batch") {
  Stream s(11);
  const int dim = 3;
  RunningStats whole(dim), part_a(dim), part_b(dim), part_c(dim);
  std::vector<std::vector<double>> samples;
  for (int i = 0; i < 257; ++i) {
    std::vector<double> x = {s.Normal() * 3 + 1, s.Uniform(), s.Normal() * 1e3};
    samples.push_back(x);
    whole.Push(x);
    (i < 10 ? part_a : i < 100 ? part_b : part_c).Push(x);
  }
  RunningStats merged(dim);
  merged.Merge(part_a);
  merged.Merge(part_b);
  merged.Merge(RunningStats(dim));  // merging nothing changes nothing
  merged.Merge(part_c);
  REQUIRE(merged.Count() == 257);
  // Direct two-pass mean and variance.
  for (int j = 0; j < dim; ++j) {
    double mean = 0;
    for (const auto& x : samples) mean += x[j] / samples.size();
    double var = 0;
    for (const auto& x : samples) var += (x[j] - mean) * (x[j] - mean) / samples.size();
    CHECK(merged.Mean()[j] == doctest::Approx(mean).epsilon(1e-12));
    CHECK(merged.Variance()[j] == doctest::Approx(var).epsilon(1e-10));
    CHECK(whole.Variance()[j] == doctest::Approx(var).epsilon(1e-10));
  }
}

TEST_CASE("a parameter layout places tensors back to back") {
  ParamLayout layout;
  CHECK(layout.Add("w", 3, 4) == 0);
  CHECK(layout.Add("b", 3) == 12);
  CHECK(layout.Size() == 15);
  CHECK(layout.TensorOf(0) == 0);
  CHECK(layout.TensorOf(11) == 0);
  CHECK(layout.TensorOf(12) == 1);
  CHECK(layout.TensorOf(14) == 1);
  CHECK_THROWS(layout.TensorOf(15));
}
