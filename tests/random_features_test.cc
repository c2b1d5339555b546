// FAVOR+ positive random features: unbiasedness, error rate, orthogonality.
#include "core/mnemosyne/random_features.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/util/error.h"

namespace mnemo {
namespace {

// A fixed query and key of dimension 4 with q.k = 0.45.
Vec Query() { return (Vec(4) << 0.5, -0.3, 0.2, 0.4).finished(); }
Vec Key() { return (Vec(4) << 0.6, 0.1, -0.2, 0.5).finished(); }

// Estimates phi(q).phi(k) over `seeds` independent draws of m features.
std::vector<double> Estimates(int m, RandomFeatureKind kind, int seeds) {
  std::vector<double> out;
  for (int s = 0; s < seeds; ++s) {
    RandomFeatures rf(4, m, kind, /*seed=*/1000 + s);
    out.push_back(rf.Map(Query()).dot(rf.Map(Key())));
  }
  return out;
}

// Root mean squared error of `estimates` around `exact`.
double Rmse(const std::vector<double>& estimates, double exact) {
  double sum = 0.0;
  for (double e : estimates) sum += (e - exact) * (e - exact);
  return std::sqrt(sum / estimates.size());
}

TEST_CASE("phi(q).phi(k) is an unbiased estimate of exp(q.k)") {
  const double exact = std::exp(Query().dot(Key()));
  for (RandomFeatureKind kind : {RandomFeatureKind::kIid, RandomFeatureKind::kOrthogonal}) {
    CAPTURE(RandomFeatureKindName(kind));
    const int seeds = 4000;
    const std::vector<double> e = Estimates(8, kind, seeds);
    double mean = 0.0;
    for (double x : e) mean += x;
    mean /= seeds;
    double var = 0.0;
    for (double x : e) var += (x - mean) * (x - mean);
    const double standard_error = std::sqrt(var / (seeds - 1) / seeds);
    CHECK(standard_error > 0.0);
    // Within 4 standard errors of the mean (fails by chance < 1e-4).
    CHECK(std::abs(mean - exact) < 4.0 * standard_error);
  }
}

TEST_CASE("the estimation error falls about as 1/sqrt(m)") {
  const double exact = std::exp(Query().dot(Key()));
  for (RandomFeatureKind kind : {RandomFeatureKind::kIid, RandomFeatureKind::kOrthogonal}) {
    CAPTURE(RandomFeatureKindName(kind));
    std::vector<double> scaled;  // rmse * sqrt(m)
    double previous = 1e300;
    for (int m : {8, 32, 128, 512}) {
      const double rmse = Rmse(Estimates(m, kind, 600), exact);
      CHECK(rmse < previous);
      previous = rmse;
      scaled.push_back(rmse * std::sqrt(static_cast<double>(m)));
    }
    // rmse * sqrt(m) stays about constant over a 64-fold range of m (an
    // error falling as 1/m or 1/m^(1/4) would change it 8-fold).
    for (double s : scaled) {
      CHECK(s > scaled.front() / 1.6);
      CHECK(s < scaled.front() * 1.6);
    }
  }
}

TEST_CASE("orthogonal directions are orthogonal within a block") {
  RandomFeatures rf(4, 24, RandomFeatureKind::kOrthogonal, 7);
  const Mat& w = rf.Directions();
  REQUIRE(w.rows() == 12);
  for (int block = 0; block < 3; ++block) {
    for (int i = 0; i < 4; ++i) {
      for (int j = i + 1; j < 4; ++j) {
        const auto a = w.row(4 * block + i);
        const auto b = w.row(4 * block + j);
        CHECK(std::abs(a.dot(b)) < 1e-12 * a.norm() * b.norm());
      }
    }
  }
}

TEST_CASE("features are reproducible from the seed and positive") {
  const RandomFeatures a(4, 16, RandomFeatureKind::kOrthogonal, 5, 0);
  const RandomFeatures b(4, 16, RandomFeatureKind::kOrthogonal, 5, 0);
  const RandomFeatures c(4, 16, RandomFeatureKind::kOrthogonal, 5, 1);
  CHECK(a.Directions() == b.Directions());
  CHECK(a.Directions() != c.Directions());
  CHECK(a.Count() == 16);
  CHECK(a.Dim() == 4);
  // A batch maps row by row like single vectors.
  Mat z(3, 4);
  z << 0.1, 0.2, 0.3, 0.4, -1.0, 0.0, 2.0, 0.5, 0.0, 0.0, 0.0, 0.0;
  Mat phi;
  a.Map(z, &phi);
  for (int r = 0; r < 3; ++r) {
    CHECK((phi.row(r).transpose() - a.Map(Vec(z.row(r).transpose()))).norm() < 1e-15);
  }
  CHECK((phi.array() > 0.0).all());
  // Huge inputs give finite (zero) features, never NaN.
  const Vec huge = Vec::Constant(4, 1e200);
  CHECK(a.Map(huge).allFinite());
}

TEST_CASE("an odd or zero feature count is refused") {
  CHECK_THROWS_AS(RandomFeatures(4, 7, RandomFeatureKind::kIid, 1), Error);
  CHECK_THROWS_AS(RandomFeatures(4, 0, RandomFeatureKind::kIid, 1), Error);
  CHECK_THROWS_AS(RandomFeatures(0, 8, RandomFeatureKind::kIid, 1), Error);  // and no input
  CHECK_THROWS_AS(ParseRandomFeatureKind("gaussian"), Error);
}

}  // namespace
}  // namespace mnemo
