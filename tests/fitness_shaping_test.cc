// Centered ranks, top-b direction selection and the spread of returns.
#include "core/es/fitness_shaping.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace mnemo {
namespace {

TEST_CASE("OrderBestFirst sorts descending, keeps ties in index order, NaN last") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> fitness = {1.0, nan, 3.0, 1.0, -2.0};
  CHECK(OrderBestFirst(fitness) == std::vector<int>{2, 0, 3, 4, 1});
}

TEST_CASE("CenteredRanks spans [-0.5, 0.5] evenly") {
  const std::vector<double> fitness = {10.0, -3.0, 7.0, 100.0, 0.0};
  const Vec ranks = CenteredRanks(fitness);
  // Ranks (worst 0): 3, 0, 2, 4, 1 -> rank / 4 - 0.5.
  CHECK(ranks[0] == doctest::Approx(0.25));
  CHECK(ranks[1] == doctest::Approx(-0.5));
  CHECK(ranks[2] == doctest::Approx(0.0));
  CHECK(ranks[3] == doctest::Approx(0.5));
  CHECK(ranks[4] == doctest::Approx(-0.25));
  CHECK(ranks.sum() == doctest::Approx(0.0));
}

TEST_CASE("CenteredRanks gives tied values the mean of their ranks") {
  const std::vector<double> fitness = {2.0, 5.0, 2.0, 2.0, 9.0, 5.0};
  const Vec ranks = CenteredRanks(fitness);
  // Sorted: 2,2,2 (ranks 0,1,2 -> 1), 5,5 (3,4 -> 3.5), 9 (5); scale 1/5.
  for (int i : {0, 2, 3}) CHECK(ranks[i] == doctest::Approx(1.0 / 5 - 0.5));
  for (int i : {1, 5}) CHECK(ranks[i] == doctest::Approx(3.5 / 5 - 0.5));
  CHECK(ranks[4] == doctest::Approx(0.5));
  CHECK(ranks.sum() == doctest::Approx(0.0));

  // A permutation of the input permutes the output exactly.
  const std::vector<double> permuted = {5.0, 9.0, 2.0, 5.0, 2.0, 2.0};
  const Vec permuted_ranks = CenteredRanks(permuted);
  const std::vector<int> from = {1, 4, 0, 5, 2, 3};
  for (int i = 0; i < 6; ++i) CHECK(permuted_ranks[i] == ranks[from[i]]);
}

TEST_CASE("CenteredRanks of degenerate inputs") {
  CHECK(CenteredRanks(std::vector<double>{}).size() == 0);
  CHECK(CenteredRanks(std::vector<double>{4.0})[0] == 0.0);
  const Vec equal = CenteredRanks(std::vector<double>{1.0, 1.0, 1.0});
  CHECK(equal.cwiseAbs().maxCoeff() == 0.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Vec with_nan = CenteredRanks(std::vector<double>{nan, 0.0, 1.0});
  CHECK(with_nan[0] == -0.5);
  CHECK(with_nan[1] == 0.0);
  CHECK(with_nan[2] == 0.5);
}

TEST_CASE("TopDirections picks by max(r+, r-) with ties in index order") {
  const std::vector<double> plus = {1.0, 5.0, 2.0, 0.0, 4.0};
  const std::vector<double> minus = {3.0, -1.0, 2.0, 5.0, 4.0};
  // Scores: 3, 5, 2, 5, 4.
  CHECK(TopDirections(plus, minus, 1) == std::vector<int>{1});
  CHECK(TopDirections(plus, minus, 2) == std::vector<int>{1, 3});
  CHECK(TopDirections(plus, minus, 3) == std::vector<int>{1, 3, 4});
  CHECK(TopDirections(plus, minus, 5) == std::vector<int>{1, 3, 4, 0, 2});
  CHECK(TopDirections(plus, minus, 0).empty());
}

TEST_CASE("PopulationStd divides by n") {
  CHECK(PopulationStd(std::vector<double>{1.0, 3.0}) == doctest::Approx(1.0));
  CHECK(PopulationStd(std::vector<double>{2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) ==
        doctest::Approx(2.0));
  CHECK(PopulationStd(std::vector<double>{}) == 0.0);
}

}  // namespace
}  // namespace mnemo
