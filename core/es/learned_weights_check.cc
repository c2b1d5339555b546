#include "core/es/learned_weights_check.h"

#include <cmath>
#include <cstdio>

#include "core/optim/learned_updater.h"
#include "core/util/error.h"

namespace mnemo {

void CheckLearnedWeights(const Vec& weights, const std::string& where) {
  for (Eigen::Index i = 0; i < weights.size(); ++i) {
    if (std::isfinite(weights[i]) && std::abs(weights[i]) <= kMaxLearnedWeight) continue;
    char value[32];
    std::snprintf(value, sizeof value, "%g", weights[i]);
    throw Error({where, 0, ""}, "weight " + std::to_string(i) + " of " +
                                    std::to_string(weights.size()) + " is " + value +
                                    "; a learned optimizer's weights must be finite and at "
                                    "most 1e6 in magnitude");
  }
}

void CheckLearnedWeights(const Updater& updater, const std::string& where) {
  if (const auto* learned = dynamic_cast<const LearnedUpdater*>(&updater)) {
    CheckLearnedWeights(learned->MetaParams(), where);
  }
}

}  // namespace mnemo
