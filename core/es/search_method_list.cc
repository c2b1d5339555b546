#include "core/es/search_method_list.h"

namespace mnemo {

const GradientEstimatorRegistry& GradientEstimators() {
  static const GradientEstimatorRegistry registry({ArsEntry(), OpenAiEsEntry()});
  return registry;
}

const StrategyRegistry& Strategies() {
  static const StrategyRegistry registry({CmaEsEntry()});
  return registry;
}

}  // namespace mnemo
