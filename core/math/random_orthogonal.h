// Uniformly distributed (Haar) random rotations.
#pragma once

#include "core/math/random_stream.h"
#include "core/math/types.h"

namespace mnemo {

// A dim x dim matrix whose columns are orthonormal and uniformly distributed
// (Haar): the Q of a Gaussian matrix drawn from `rng` (column by column),
// with the signs fixed by R's diagonal.
Mat RandomOrthogonal(int dim, Stream& rng);

}  // namespace mnemo
