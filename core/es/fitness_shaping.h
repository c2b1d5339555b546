// Fitness shaping shared by the estimators: orderings, centered ranks (OpenAI-
// ES), top-b direction selection and the spread of returns (ARS).
#pragma once

#include <span>
#include <vector>

#include "core/math/types.h"

namespace mnemo {

// Indices of `fitness`, best (largest) first. Ties keep index order and NaN
// counts as worse than every number, so the order is fully deterministic.
std::vector<int> OrderBestFirst(std::span<const double> fitness);

// Centered ranks in [-0.5, 0.5] (Salimans et al. 2017): the worst value maps
// to -0.5, the best to +0.5, evenly spaced between. Tied values share the
// mean of their ranks, so the result does not depend on the input order. A
// single value maps to 0.
Vec CenteredRanks(std::span<const double> fitness);

// The `b` directions with the largest max(r+, r-) (ARS's top-b selection),
// best first; ties keep index order. `plus` and `minus` hold the returns of
// theta + nu delta_k and theta - nu delta_k.
std::vector<int> TopDirections(std::span<const double> plus, std::span<const double> minus, int b);

// Population standard deviation (divides by n) of `values`; 0 when empty.
double PopulationStd(std::span<const double> values);

}  // namespace mnemo
