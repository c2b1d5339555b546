// Tests of core/math: random streams, running statistics, parameter layouts,
// the rank-sum test.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/math/param_layout.h"
#include "core/math/random_stream.h"
#include "core/math/rank_sum.h"
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

TEST_CASE("the rank-sum z matches its exact form on small samples") {
  // No ties: U counts the pairs (sample, reference) with the sample above.
  const std::vector<double> a = {3.0, 7.0, 9.0};
  const std::vector<double> b = {1.0, 4.0, 5.0, 8.0};
  // Pairs above: 3 > 1; 7 > 1, 4, 5; 9 > all four: U = 8, mean 6, variance
  // 3 * 4 * 8 / 12 = 8.
  CHECK(RankSumZ(a, b) == doctest::Approx((8.0 - 6.0) / std::sqrt(8.0)));
  CHECK(RankSumZ(b, a) == doctest::Approx(-RankSumZ(a, b)));
  // Ties take their average rank and shrink the variance: {1, 2} against
  // {2, 3}: ranks 1, 2.5 | 2.5, 4; U = 3.5 - 3 = 0.5, mean 2, variance
  // 2 * 2 / 12 * (5 - 6 / 12) = 1.5.
  CHECK(RankSumZ(std::vector<double>{1.0, 2.0}, std::vector<double>{2.0, 3.0}) ==
        doctest::Approx((0.5 - 2.0) / std::sqrt(1.5)));
  CHECK(RankSumZ(std::vector<double>{2.0, 2.0}, std::vector<double>{2.0}) == 0.0);
  CHECK(RankSumZ({}, b) == 0.0);
}

TEST_CASE("the rank-sum z ignores scale and heavy tails, and is about N(0, 1) under no change") {
  // One huge outlier in the reference cannot hide that every new number is
  // below every other old one.
  std::vector<double> before(80, 18.0), after(80, 4.0);
  for (int i = 0; i < 80; ++i) {
    before[i] += 0.01 * i;
    after[i] += 0.01 * i;
  }
  before[0] = 183.0;
  const double z = RankSumZ(after, before);
  CHECK(z < -10.0);
  std::vector<double> scaled = after;
  for (double& x : scaled) x = 1e6 * x - 5.0;
  std::vector<double> scaled_before = before;
  for (double& x : scaled_before) x = 1e6 * x - 5.0;
  CHECK(RankSumZ(scaled, scaled_before) == doctest::Approx(z));
  // Two samples of one distribution, many times: z has mean ~0, variance ~1.
  Stream s(3);
  double sum = 0.0, sum_sq = 0.0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(16), y(16);
    for (double& v : x) v = std::exp(3.0 * s.Normal());
    for (double& v : y) v = std::exp(3.0 * s.Normal());
    const double zt = RankSumZ(x, y);
    sum += zt;
    sum_sq += zt * zt;
  }
  CHECK(std::abs(sum / trials) < 0.1);
  CHECK(sum_sq / trials == doctest::Approx(1.0).epsilon(0.1));
}
