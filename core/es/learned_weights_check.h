// The range a learned optimizer's weights must lie in, wherever they come
// from (a weights file, a meta-training state): finite, and small enough
// that its steps stay finite.
#pragma once

#include <string>

#include "core/math/types.h"
#include "core/optim/updater.h"

namespace mnemo {

// The largest magnitude of a learned optimizer's weight. Trained weights
// stay below 10; weights of 1e300 are finite but turn every step into
// infinities, so that a run would end with a policy of nulls.
constexpr double kMaxLearnedWeight = 1e6;

// Throws an Error naming `where` (the weights file, or the state holding
// them) unless every entry of `weights` is finite and at most
// kMaxLearnedWeight in magnitude.
void CheckLearnedWeights(const Vec& weights, const std::string& where);

// The same for the meta-parameters of `updater`, when it is a learned
// optimizer (nothing otherwise).
void CheckLearnedWeights(const Updater& updater, const std::string& where);

}  // namespace mnemo
