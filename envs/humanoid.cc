// Humanoid (Gymnasium v5 semantics): a 3D biped walks forward without falling.
// Reward = 1.25 * x velocity of the centre of mass + 5 while healthy
// - 0.1 * |a|^2 - min(5e-7 * |cfrc_ext|^2, 10); ends when the torso height
// leaves (1.0, 2.0). Observation (348-D): qpos without the root's x and y,
// qvel, then cinert, cvel, qfrc_actuator (without the root's six dofs) and
// cfrc_ext, each of bodies 1.. .
#include <algorithm>
#include <limits>

#include "core/util/error.h"
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published weights and ranges (Gymnasium Humanoid-v5).
constexpr double kForwardRewardWeight = 1.25;
constexpr double kCtrlCostWeight = 0.1;
constexpr double kContactCostWeight = 5e-7;
constexpr double kContactCostMax = 10.0;
constexpr double kHealthyReward = 5.0;
constexpr double kHealthyZMin = 1.0;
constexpr double kHealthyZMax = 2.0;

// Numbers a free joint has in qvel.
constexpr int kFreeJointDofs = 6;

// The Humanoid task.
class HumanoidTask final : public Task {
 public:
  explicit HumanoidTask(const TaskOptions& options)
      : Task({.name = "Humanoid",
              .asset = "humanoid.xml",
              .frame_skip = 5,
              .reset_noise_scale = 1e-2,
              .velocity_noise = VelocityNoise::kUniform,
              .reward_terms = {"forward", "healthy", "ctrl_cost", "contact_cost"},
              .solved_threshold = 6000},
             options),
        root_qpos_(JointQpos("root")),
        root_qvel_(JointQvel("root")) {
    const mjModel* m = Model();
    if (m->jnt_type[RequireId(mjOBJ_JOINT, "root")] != mjJNT_FREE) {
      throw Error({XmlPath(), 0, "root"}, "task Humanoid needs 'root' to be a free joint");
    }
    for (int b = 0; b < m->nbody; ++b) total_mass_ += m->body_mass[b];
    if (total_mass_ <= 0) {
      throw Error({XmlPath(), 0, ""}, "task Humanoid: the model has no mass");
    }
    const int bodies = m->nbody - 1;
    SetObsDim((m->nq - 2) + m->nv + 10 * bodies + 6 * bodies + (m->nv - kFreeJointDofs) +
              6 * bodies);
  }

  // The centre of mass (mass-weighted body xipos), x and y.
  Eigen::Vector2d TrackedPosition(const mjData* d) const override {
    const mjModel* m = Model();
    Eigen::Vector2d sum = Eigen::Vector2d::Zero();
    for (int b = 0; b < m->nbody; ++b) {
      sum.x() += m->body_mass[b] * d->xipos[3 * b];
      sum.y() += m->body_mass[b] * d->xipos[3 * b + 1];
    }
    return sum / total_mass_;
  }

  // See the file comment for the layout.
  void Observe(const mjData* d, double* obs) const override {
    const mjModel* m = Model();
    int k = 0;
    for (int i = 0; i < m->nq; ++i) {
      if (i != root_qpos_ && i != root_qpos_ + 1) obs[k++] = d->qpos[i];
    }
    for (int i = 0; i < m->nv; ++i) obs[k++] = d->qvel[i];
    for (int i = 10; i < 10 * m->nbody; ++i) obs[k++] = d->cinert[i];
    for (int i = 6; i < 6 * m->nbody; ++i) obs[k++] = d->cvel[i];
    for (int i = 0; i < m->nv; ++i) {
      if (i < root_qvel_ || i >= root_qvel_ + kFreeJointDofs) {
        obs[k++] = d->qfrc_actuator[i];
      }
    }
    for (int i = 6; i < 6 * m->nbody; ++i) obs[k++] = d->cfrc_ext[i];
  }

  // Terms: forward, healthy, ctrl_cost, contact_cost (costs negative).
  double Reward(const mjData* d, const Motion& motion, const double* action,
                double* terms) const override {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    terms[0] = kForwardRewardWeight * motion.x_velocity;
    terms[1] = IsHealthy(d) ? kHealthyReward : 0.0;
    terms[2] = -kCtrlCostWeight * SquaredActionNorm(action);
    terms[3] =
        -std::min(kContactCostWeight * ClippedContactForceSquares(d, -kInf, kInf), kContactCostMax);
    return terms[0] + terms[1] + terms[2] + terms[3];
  }

  // Healthy: the torso height is strictly inside (kHealthyZMin, kHealthyZMax).
  bool IsHealthy(const mjData* d) const override {
    const double z = d->qpos[root_qpos_ + 2];
    return z > kHealthyZMin && z < kHealthyZMax;
  }

  // Falling ends the episode.
  bool TerminatesWhenUnhealthy() const override { return true; }

  // The observation and the contact cost read cfrc_ext.
  bool NeedsContactForces() const override { return true; }

 private:
  int root_qpos_;          // qpos address of the root free joint (x, y, z, quat)
  int root_qvel_;          // qvel address of the root free joint (6 dofs)
  double total_mass_ = 0;  // sum of body masses, for the centre of mass
};

}  // namespace

TaskRegistry::Entry HumanoidEntry() {
  return {"Humanoid", "3D biped, walk forward (v5)",
          [](const TaskOptions& o) { return std::make_unique<HumanoidTask>(o); }};
}

}  // namespace mnemo
