#include "envs/env.h"

#include <cmath>

namespace mnemo {
namespace {

// Total count of the MuJoCo warnings that mean a bad simulation.
int BadWarningCount(const mjData* d) {
  return d->warning[mjWARN_BADQACC].number + d->warning[mjWARN_BADQPOS].number +
         d->warning[mjWARN_BADQVEL].number + d->warning[mjWARN_BADCTRL].number;
}

// Whether all n numbers are finite.
bool AllFinite(const double* x, int n) {
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) return false;
  }
  return true;
}

}  // namespace

Env::Env(std::shared_ptr<const Task> task)
    : task_(std::move(task)), data_(mj_makeData(task_->Model())) {}

void Env::Reset(Stream& rng, double* obs) {
  task_->ResetState(data_.get(), rng);
  steps_ = 0;
  warnings_before_ = BadWarningCount(data_.get());
  task_->Observe(data_.get(), obs);
}

bool Env::WentUnstable() const {
  const mjModel* m = task_->Model();
  const mjData* d = data_.get();
  return BadWarningCount(d) != warnings_before_ || !AllFinite(d->qpos, m->nq) ||
         !AllFinite(d->qvel, m->nv);
}

StepResult Env::Step(const double* action, double* obs) {
  const mjModel* m = task_->Model();
  mjData* d = data_.get();
  const Eigen::Vector2d before = task_->TrackedPosition(d);
  for (int i = 0; i < m->nu; ++i) d->ctrl[i] = action[i];
  const int frame_skip = task_->Spec().frame_skip;
  for (int k = 0; k < frame_skip; ++k) mj_step(m, d);
  if (task_->NeedsContactForces()) mj_rnePostConstraint(m, d);
  ++steps_;

  StepResult result;
  if (WentUnstable()) {
    result.unstable = true;
    warnings_before_ = BadWarningCount(d);
    for (int i = 0; i < task_->ObsDim(); ++i) obs[i] = 0;
    return result;
  }
  const Eigen::Vector2d after = task_->TrackedPosition(d);
  Motion motion;
  motion.x_velocity = (after.x() - before.x()) / task_->Dt();
  motion.y_velocity = (after.y() - before.y()) / task_->Dt();
  result.reward = task_->Reward(d, motion, action, result.terms.data());
  result.terminated = task_->TerminatesWhenUnhealthy() && !task_->IsHealthy(d);
  task_->Observe(d, obs);
  return result;
}

}  // namespace mnemo
