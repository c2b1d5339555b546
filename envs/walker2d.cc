// Walker2d (Gymnasium v5 semantics): walk forward on two legs without falling.
// Reward = forward_velocity + 1 (while healthy) - 1e-3 * |a|^2; ends when the
// torso leaves 0.8 < z < 2 m or tilts past 1 rad; 17-D observation (qpos
// without rootx, then qvel clipped to +-10).
#include "envs/planar_walker.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights and health bounds (Gymnasium Walker2d-v5).
PlanarWalkerRules Walker2dRules() {
  PlanarWalkerRules rules;
  rules.forward_reward_weight = 1.0;
  rules.healthy_reward = 1.0;
  rules.ctrl_cost_weight = 1e-3;
  rules.min_z = 0.8;
  rules.max_z = 2.0;
  rules.min_angle = -1.0;
  rules.max_angle = 1.0;
  return rules;
}

// The Walker2d task.
class Walker2dTask final : public PlanarWalkerTask {
 public:
  explicit Walker2dTask(const TaskOptions& options)
      : PlanarWalkerTask({.name = "Walker2d",
                          .asset = "walker2d.xml",
                          .frame_skip = 4,
                          .reset_noise_scale = 5e-3,
                          .velocity_noise = VelocityNoise::kUniform,
                          .reward_terms = RewardTermNames(),
                          .solved_threshold = 4390},
                         options, Walker2dRules()) {}
};

}  // namespace

TaskRegistry::Entry Walker2dEntry() {
  return {"Walker2d", "planar biped, walk forward (v5)",
          [](const TaskOptions& o) { return std::make_unique<Walker2dTask>(o); }};
}

}  // namespace mnemo
