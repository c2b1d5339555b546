#include "policies/policy.h"

#include <algorithm>

#include "core/util/error.h"
#include "policies/policy_list.h"

namespace mnemo {

Vec Policy::InitialParams(Stream&) const { return Vec::Zero(NumParams()); }

void Policy::ApplyActionLimits(double* action) const {
  if (!spec_.clip_actions) return;
  for (int i = 0; i < spec_.act_dim; ++i) {
    action[i] = std::clamp(action[i], spec_.action_low[i], spec_.action_high[i]);
  }
}

std::unique_ptr<Policy> MakePolicy(const PolicySpec& spec) { return MakePolicy(spec, Policies()); }

std::unique_ptr<Policy> MakePolicy(const PolicySpec& spec, const PolicyRegistry& registry) {
  if (spec.obs_dim <= 0 || spec.act_dim <= 0) {
    throw Error("policy: observation and action sizes must be positive");
  }
  if (spec.action_low.size() != spec.act_dim || spec.action_high.size() != spec.act_dim) {
    throw Error("policy: action limits must have one entry per action");
  }
  if (!(spec.action_low.array() <= spec.action_high.array()).all()) {
    throw Error("policy: an action's lower limit exceeds its upper limit");
  }
  for (int w : spec.hidden) {
    if (w <= 0) throw Error("policy: hidden widths must be positive");
  }
  return registry.Create("policy", spec.kind, spec);
}

}  // namespace mnemo
