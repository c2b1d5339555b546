// HalfCheetah (Gymnasium v5 semantics): run forward as fast as possible.
// Reward = forward_velocity - 0.1 * |a|^2; no termination; 17-D observation
// (joint positions without rootx, then all velocities).
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights (Gymnasium HalfCheetah-v5).
constexpr double kForwardRewardWeight = 1.0;
constexpr double kCtrlCostWeight = 0.1;

// The HalfCheetah task.
class HalfCheetahTask final : public Task {
 public:
  // Loads the model and finds the rootx slider.
  explicit HalfCheetahTask(const TaskOptions& options)
      : Task({.name = "HalfCheetah",
              .asset = "half_cheetah.xml",
              .frame_skip = 5,
              .reset_noise_scale = 0.1,
              .velocity_noise = VelocityNoise::kNormal,
              .reward_terms = {"forward", "ctrl_cost"},
              .solved_threshold = 3430},
             options),
        rootx_qpos_(JointQpos("rootx")) {
    SetObsDim(Model()->nq - 1 + Model()->nv);
  }

  // The rootx slider's position (the model is planar: y is 0).
  Eigen::Vector2d TrackedPosition(const mjData* d) const override {
    return {d->qpos[rootx_qpos_], 0.0};
  }

  // See the file comment for the layout.
  void Observe(const mjData* d, double* obs) const override {
    const mjModel* m = Model();
    int k = 0;
    for (int i = 0; i < m->nq; ++i) {
      if (i != rootx_qpos_) obs[k++] = d->qpos[i];
    }
    for (int i = 0; i < m->nv; ++i) obs[k++] = d->qvel[i];
  }

  // Terms: forward, ctrl_cost (cost negative).
  double Reward(const mjData*, const Motion& motion, const double* action,
                double* terms) const override {
    terms[0] = kForwardRewardWeight * motion.x_velocity;
    terms[1] = -kCtrlCostWeight * SquaredActionNorm(action);
    return terms[0] + terms[1];
  }

 private:
  int rootx_qpos_;  // qpos address of the rootx slider
};

}  // namespace

TaskRegistry::Entry HalfCheetahEntry() {
  return {"HalfCheetah", "planar cheetah, run forward (v5)",
          [](const TaskOptions& o) { return std::make_unique<HalfCheetahTask>(o); }};
}

}  // namespace mnemo
