// Ant (Gymnasium v5 semantics): a four-legged robot walks forward.
// Reward = x velocity of the torso + 1 while healthy - 0.5 * |a|^2
// - 5e-4 * |clip(cfrc_ext, -1, 1)|^2; ends when the torso leaves z in
// [0.2, 1.0]. Observation: qpos without the root's x and y, qvel, and (with
// use_contact_forces) the clipped external forces of bodies 1.. (105-D; 27-D
// without contact forces, which also drops the contact cost, as in v4).
#include <algorithm>
#include <cmath>

#include "core/util/error.h"
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights and ranges (Gymnasium Ant-v5).
constexpr double kForwardRewardWeight = 1.0;
constexpr double kCtrlCostWeight = 0.5;
constexpr double kContactCostWeight = 5e-4;
constexpr double kHealthyReward = 1.0;
constexpr double kHealthyZMin = 0.2;
constexpr double kHealthyZMax = 1.0;
constexpr double kContactForceMin = -1.0;
constexpr double kContactForceMax = 1.0;

// The Ant task.
class AntTask final : public Task {
 public:
  explicit AntTask(const TaskOptions& options)
      : Task({.name = "Ant",
              .asset = "ant.xml",
              .frame_skip = 5,
              .reset_noise_scale = 0.1,
              .velocity_noise = VelocityNoise::kNormal,
              .reward_terms = {"forward", "healthy", "ctrl_cost", "contact_cost"},
              .solved_threshold = 3580},
             options),
        root_qpos_(JointQpos("root")),
        torso_body_(RequireId(mjOBJ_BODY, "torso")),
        use_contact_forces_(options.use_contact_forces) {
    const mjModel* m = Model();
    if (m->jnt_type[RequireId(mjOBJ_JOINT, "root")] != mjJNT_FREE) {
      throw Error({XmlPath(), 0, "root"}, "task Ant needs 'root' to be a free joint");
    }
    const int contact_dim = use_contact_forces_ ? 6 * (m->nbody - 1) : 0;
    SetObsDim(m->nq - 2 + m->nv + contact_dim);
  }

  // The torso's position.
  Eigen::Vector2d TrackedPosition(const mjData* d) const override {
    return {d->xpos[3 * torso_body_], d->xpos[3 * torso_body_ + 1]};
  }

  // See the file comment for the layout.
  void Observe(const mjData* d, double* obs) const override {
    const mjModel* m = Model();
    int k = 0;
    for (int i = 0; i < m->nq; ++i) {
      if (i != root_qpos_ && i != root_qpos_ + 1) obs[k++] = d->qpos[i];
    }
    for (int i = 0; i < m->nv; ++i) obs[k++] = d->qvel[i];
    if (use_contact_forces_) {
      for (int i = 6; i < 6 * m->nbody; ++i) {
        obs[k++] = std::clamp(d->cfrc_ext[i], kContactForceMin, kContactForceMax);
      }
    }
  }

  // Terms: forward, healthy, ctrl_cost, contact_cost (costs negative).
  double Reward(const mjData* d, const Motion& motion, const double* action,
                double* terms) const override {
    terms[0] = kForwardRewardWeight * motion.x_velocity;
    terms[1] = IsHealthy(d) ? kHealthyReward : 0.0;
    terms[2] = -kCtrlCostWeight * SquaredActionNorm(action);
    terms[3] = use_contact_forces_
                   ? -kContactCostWeight *
                         ClippedContactForceSquares(d, kContactForceMin, kContactForceMax)
                   : 0.0;
    return terms[0] + terms[1] + terms[2] + terms[3];
  }

  // Healthy: the whole state is finite and the torso height is in
  // [kHealthyZMin, kHealthyZMax].
  bool IsHealthy(const mjData* d) const override {
    const mjModel* m = Model();
    for (int i = 0; i < m->nq; ++i) {
      if (!std::isfinite(d->qpos[i])) return false;
    }
    for (int i = 0; i < m->nv; ++i) {
      if (!std::isfinite(d->qvel[i])) return false;
    }
    const double z = d->qpos[root_qpos_ + 2];
    return z >= kHealthyZMin && z <= kHealthyZMax;
  }

  // Falling ends the episode.
  bool TerminatesWhenUnhealthy() const override { return true; }

  // cfrc_ext is read only when contact forces are on.
  bool NeedsContactForces() const override { return use_contact_forces_; }

 private:
  int root_qpos_;            // qpos address of the root free joint (x, y, z, quat)
  int torso_body_;           // body whose xpos gives the forward velocity
  bool use_contact_forces_;  // 105-D observation and contact cost
};

}  // namespace

TaskRegistry::Entry AntEntry() {
  return {"Ant", "quadruped, walk forward (v5)",
          [](const TaskOptions& o) { return std::make_unique<AntTask>(o); }};
}

}  // namespace mnemo
