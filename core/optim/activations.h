// Activation functions written through exp, which Eigen vectorises for
// doubles (its double tanh is a scalar libm call per entry, the largest cost
// of the learned updaters before this).
#pragma once

#include "core/math/types.h"

namespace mnemo {

// tanh of every entry as 2 / (1 + exp(-2x)) - 1: exactly 0 at 0, exactly
// +-1 far out (exp overflowing to infinity gives -1, not NaN), and within
// about 2e-16 of tanh elsewhere.
template <typename Derived>
auto Tanh(const Eigen::ArrayBase<Derived>& x) {
  return 2.0 / (1.0 + (-2.0 * x).exp()) - 1.0;
}

// The logistic function 1 / (1 + exp(-x)) of every entry; 0 and 1 at the
// extremes, never NaN for finite x.
template <typename Derived>
auto Logistic(const Eigen::ArrayBase<Derived>& x) {
  return 1.0 / (1.0 + (-x).exp());
}

}  // namespace mnemo
