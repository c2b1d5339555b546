// Hopper (Gymnasium v5 semantics): hop forward on one leg without falling.
// Reward = forward_velocity + 1 (while healthy) - 1e-3 * |a|^2; ends when the
// torso drops to 0.7 m, tilts past 0.2 rad, or any state leaves (-100, 100);
// 11-D observation (qpos without rootx, then qvel clipped to +-10).
#include "envs/planar_walker.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights and health bounds (Gymnasium Hopper-v5).
PlanarWalkerRules HopperRules() {
  PlanarWalkerRules rules;
  rules.forward_reward_weight = 1.0;
  rules.healthy_reward = 1.0;
  rules.ctrl_cost_weight = 1e-3;
  rules.min_z = 0.7;
  rules.min_angle = -0.2;
  rules.max_angle = 0.2;
  rules.min_state = -100.0;
  rules.max_state = 100.0;
  return rules;
}

// The Hopper task.
class HopperTask final : public PlanarWalkerTask {
 public:
  explicit HopperTask(const TaskOptions& options)
      : PlanarWalkerTask({.name = "Hopper",
                          .asset = "hopper.xml",
                          .frame_skip = 4,
                          .reset_noise_scale = 5e-3,
                          .velocity_noise = VelocityNoise::kUniform,
                          .reward_terms = RewardTermNames(),
                          .solved_threshold = 3120},
                         options, HopperRules()) {}
};

}  // namespace

TaskRegistry::Entry HopperEntry() {
  return {"Hopper", "planar one-legged hopper, hop forward (v5)",
          [](const TaskOptions& o) { return std::make_unique<HopperTask>(o); }};
}

}  // namespace mnemo
