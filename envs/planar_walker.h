// The rules shared by the planar walkers of Gymnasium v5 (Hopper, Walker2d):
// a torso on root joints rootx (slide), rootz (slide) and rooty (hinge);
// reward = forward velocity + a healthy bonus (only while healthy) - control
// cost; the episode ends when the walker is unhealthy (it fell or tipped).
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "envs/task.h"

namespace mnemo {

// The published reward weights and health bounds of one planar walker. All
// bounds are open intervals, as in Gymnasium.
struct PlanarWalkerRules {
  double forward_reward_weight = 1.0;                       // times the forward velocity of rootx
  double healthy_reward = 1.0;                              // given on each healthy step
  double ctrl_cost_weight = 1e-3;                           // times |action|^2
  double min_z = -std::numeric_limits<double>::infinity();  // rootz bounds
  double max_z = std::numeric_limits<double>::infinity();
  double min_angle = -std::numeric_limits<double>::infinity();  // rooty bounds
  double max_angle = std::numeric_limits<double>::infinity();
  // Bounds on every qpos but rootx and rootz, and on every qvel.
  double min_state = -std::numeric_limits<double>::infinity();
  double max_state = std::numeric_limits<double>::infinity();
  double velocity_clip = 10.0;  // the observed qvel is clipped to +-this
};

// A planar walker. Joints are found by name, so a variant MJCF with more
// joints (anywhere in the tree) still works. Observation: every qpos but
// rootx, then every qvel clipped to +-velocity_clip. Reward terms: "forward",
// "healthy", "ctrl_cost" (negative).
class PlanarWalkerTask : public Task {
 public:
  // The torso's x (rootx); y is 0.
  Eigen::Vector2d TrackedPosition(const mjData* d) const override;
  // Every qpos but rootx, then every qvel clipped.
  void Observe(const mjData* d, double* obs) const override;
  // "forward", "healthy" (0 when unhealthy) and "ctrl_cost" (negative).
  double Reward(const mjData* d, const Motion& motion, const double* action,
                double* terms) const override;
  // Whether rootz, rooty and the other states lie inside the rules' bounds.
  bool IsHealthy(const mjData* d) const override;
  // Planar walkers end their episode when unhealthy.
  bool TerminatesWhenUnhealthy() const override { return true; }

  // Names of the reward terms, in the order Reward writes them (for the spec).
  static std::vector<std::string> RewardTermNames() { return {"forward", "healthy", "ctrl_cost"}; }

 protected:
  // Loads the model and resolves the root joints; a missing one is an Error
  // naming it. spec.reward_terms must be RewardTermNames().
  PlanarWalkerTask(TaskSpec spec, const TaskOptions& options, const PlanarWalkerRules& rules);

 private:
  PlanarWalkerRules rules_;
  int rootx_qpos_;  // qpos address of rootx (forward position)
  int rootz_qpos_;  // qpos address of rootz (torso height)
  int rooty_qpos_;  // qpos address of rooty (torso pitch)
};

}  // namespace mnemo
