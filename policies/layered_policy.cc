#include "policies/layered_policy.h"

#include <algorithm>
#include <cmath>

namespace mnemo {

LayeredPolicy::LayeredPolicy(const PolicySpec& spec) : Policy(spec) {
  widths_.push_back(spec.obs_dim);
  for (int w : spec.hidden) widths_.push_back(w);
  widths_.push_back(spec.act_dim);
}

int LayeredPolicy::ScratchSize() const {
  return 2 * *std::max_element(widths_.begin(), widths_.end());
}

void LayeredPolicy::Act(const double* theta, const double* obs, double* action,
                        double* scratch) const {
  const int layers = static_cast<int>(widths_.size()) - 1;
  const double* in = obs;
  double* buffers[2] = {scratch, scratch + ScratchSize() / 2};
  for (int l = 0; l < layers; ++l) {
    double* out = l + 1 == layers ? action : buffers[l % 2];
    ApplyLayer(l, theta, in, out);
    if (l + 1 < layers) {
      for (int i = 0; i < widths_[l + 1]; ++i) out[i] = std::tanh(out[i]);
    }
    in = out;
  }
  ApplyActionLimits(action);
}

}  // namespace mnemo
