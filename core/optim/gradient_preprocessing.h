// Andrychowicz et al. (2016)'s encoding of a gradient coordinate, shared by
// the learned updaters: magnitudes over many orders of scale become numbers
// of order one.
#pragma once

#include "core/math/types.h"

namespace mnemo {

// The preprocessing constant p of the paper (magnitudes below e^-p are
// treated as linear).
constexpr double kLogSignP = 10.0;

// Writes, for each gradient g, (log|g| / p, sign g) when |g| >= e^-p and
// (-1, e^p g) otherwise, into columns `column` and `column + 1` of `out`
// (rows = coordinates). Finite for every finite g, including 0.
void LogSignEncode(const Eigen::Ref<const Vec>& g, double p, Eigen::Ref<Mat> out, int column);

}  // namespace mnemo
