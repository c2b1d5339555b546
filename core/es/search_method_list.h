// The lists of search methods: gradient estimators (stepped by an updater)
// and strategies with their own step rule. A new method is one file and one
// line here.
#pragma once

#include "core/es/gradient_estimator.h"
#include "core/es/strategy.h"

namespace mnemo {

// Every gradient estimator, by name.
const GradientEstimatorRegistry& GradientEstimators();
// Every strategy with its own step rule, by name.
const StrategyRegistry& Strategies();

// The entries, each defined next to its method.
GradientEstimatorRegistry::Entry ArsEntry();
GradientEstimatorRegistry::Entry OpenAiEsEntry();
StrategyRegistry::Entry CmaEsEntry();

}  // namespace mnemo
