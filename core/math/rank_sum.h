// The Mann-Whitney rank-sum test: whether one sample tends to lie above
// another, from ranks only, so that heavy tails and the scale of the
// numbers do not matter.
#pragma once

#include <span>

namespace mnemo {

// The normal approximation z of the Mann-Whitney U statistic of `sample`
// against `reference` (ties take their average rank; the variance is
// corrected for them): positive when `sample` tends to lie above
// `reference`, about N(0, 1) when both come from one distribution. 0 when
// either is empty or every number is equal. Every number must be finite.
double RankSumZ(std::span<const double> sample, std::span<const double> reference);

}  // namespace mnemo
