#include "envs/planar_walker.h"

#include <algorithm>

namespace mnemo {
namespace {

// Whether lo < x < hi (false for NaN).
bool Inside(double x, double lo, double hi) { return lo < x && x < hi; }

}  // namespace

PlanarWalkerTask::PlanarWalkerTask(TaskSpec spec, const TaskOptions& options,
                                   const PlanarWalkerRules& rules)
    : Task(std::move(spec), options),
      rules_(rules),
      rootx_qpos_(JointQpos("rootx")),
      rootz_qpos_(JointQpos("rootz")),
      rooty_qpos_(JointQpos("rooty")) {
  SetObsDim(Model()->nq - 1 + Model()->nv);
}

Eigen::Vector2d PlanarWalkerTask::TrackedPosition(const mjData* d) const {
  return {d->qpos[rootx_qpos_], 0.0};
}

void PlanarWalkerTask::Observe(const mjData* d, double* obs) const {
  const mjModel* m = Model();
  const double clip = rules_.velocity_clip;
  int k = 0;
  for (int i = 0; i < m->nq; ++i) {
    if (i != rootx_qpos_) obs[k++] = d->qpos[i];
  }
  for (int i = 0; i < m->nv; ++i) obs[k++] = std::clamp(d->qvel[i], -clip, clip);
}

double PlanarWalkerTask::Reward(const mjData* d, const Motion& motion, const double* action,
                                double* terms) const {
  terms[0] = rules_.forward_reward_weight * motion.x_velocity;
  terms[1] = IsHealthy(d) ? rules_.healthy_reward : 0.0;
  terms[2] = -rules_.ctrl_cost_weight * SquaredActionNorm(action);
  return terms[0] + terms[1] + terms[2];
}

bool PlanarWalkerTask::IsHealthy(const mjData* d) const {
  const PlanarWalkerRules& r = rules_;
  if (!Inside(d->qpos[rootz_qpos_], r.min_z, r.max_z)) return false;
  if (!Inside(d->qpos[rooty_qpos_], r.min_angle, r.max_angle)) return false;
  const mjModel* m = Model();
  for (int i = 0; i < m->nq; ++i) {
    if (i == rootx_qpos_ || i == rootz_qpos_) continue;
    if (!Inside(d->qpos[i], r.min_state, r.max_state)) return false;
  }
  for (int i = 0; i < m->nv; ++i) {
    if (!Inside(d->qvel[i], r.min_state, r.max_state)) return false;
  }
  return true;
}

}  // namespace mnemo
