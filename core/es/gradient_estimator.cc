#include "core/es/gradient_estimator.h"

#include "core/es/search_method_list.h"
#include "core/io/create_from_config.h"

namespace mnemo {

std::unique_ptr<GradientEstimator> MakeGradientEstimator(const ConfigNode& config) {
  return CreateFromConfig(GradientEstimators(), "gradient estimator", config, "ars");
}

}  // namespace mnemo
