// Steps of an updater along given ascent directions, as a search with a fixed
// exploration sigma takes them (sigma is a learned updater's step unit).
#pragma once

#include "core/optim/search_signal.h"
#include "core/optim/updater.h"

namespace mnemo::testing {

// The sigma of the tests' steps unless they say otherwise.
constexpr double kTestSigma = 0.01;

// One step of `updater` along `ascent` (nominal step sigma * ascent), in
// units of `sigma`; the sigma the updater asks for next is dropped.
inline void StepAlong(Updater& updater, const Vec& ascent, Vec* theta, double sigma = kTestSigma) {
  double next_sigma = sigma;
  updater.Step(GradientSignal(ascent, sigma), theta, &next_sigma);
}

}  // namespace mnemo::testing
