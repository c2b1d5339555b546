// Swimmer (Gymnasium v5 semantics): swim forward through a viscous medium.
// Reward = forward_velocity - 1e-4 * |a|^2, where the velocity is that of the
// root sliders (slider1, slider2); never terminates; 8-D observation (qpos
// without the two sliders, then all velocities).
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights (Gymnasium Swimmer-v5).
constexpr double kForwardRewardWeight = 1.0;
constexpr double kCtrlCostWeight = 1e-4;

// The Swimmer task.
class SwimmerTask final : public Task {
 public:
  // Loads the model and finds the root sliders.
  explicit SwimmerTask(const TaskOptions& options)
      : Task({.name = "Swimmer",
              .asset = "swimmer.xml",
              .frame_skip = 4,
              .reset_noise_scale = 0.1,
              .velocity_noise = VelocityNoise::kUniform,
              .reward_terms = {"forward", "ctrl_cost"},
              .solved_threshold = 325},
             options),
        x_qpos_(JointQpos("slider1")),
        y_qpos_(JointQpos("slider2")) {
    SetObsDim(Model()->nq - 2 + Model()->nv);
  }

  // The root sliders' position.
  Eigen::Vector2d TrackedPosition(const mjData* d) const override {
    return {d->qpos[x_qpos_], d->qpos[y_qpos_]};
  }

  // See the file comment for the layout.
  void Observe(const mjData* d, double* obs) const override {
    const mjModel* m = Model();
    int k = 0;
    for (int i = 0; i < m->nq; ++i) {
      if (i != x_qpos_ && i != y_qpos_) obs[k++] = d->qpos[i];
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
  int x_qpos_;  // qpos address of slider1 (the x of the front link)
  int y_qpos_;  // qpos address of slider2 (its y)
};

}  // namespace

TaskRegistry::Entry SwimmerEntry() {
  return {"Swimmer", "three-link swimmer in a viscous fluid (v5)",
          [](const TaskOptions& o) { return std::make_unique<SwimmerTask>(o); }};
}

}  // namespace mnemo
