#include "apps/view/episode_player.h"

#include <cstdio>

#include "core/math/random_stream.h"
#include "core/util/error.h"

namespace mnemo {

EpisodePlayer::EpisodePlayer(std::shared_ptr<const Task> task)
    : task_(std::move(task)),
      env_(task_),
      normalizer_(task_->ObsDim()),
      obs_(Vec::Zero(task_->ObsDim())),
      normalized_(Vec::Zero(task_->ObsDim())),
      action_(Vec::Zero(task_->ActDim())),
      term_traces_(task_->Spec().reward_terms.size()) {
  NewEpisode(1);
}

void EpisodePlayer::SetPolicy(const SavedPolicy& policy, const std::string& source) {
  CheckPolicyFits(policy, source, task_->Name(), task_->ObsDim(), task_->ActDim());
  std::unique_ptr<Policy> built = MakePolicy(policy.spec);
  if (static_cast<int>(policy.params.size()) != built->NumParams()) {
    throw Error({source, 0, "params"}, "has " + std::to_string(policy.params.size()) +
                                           " numbers, the policy needs " +
                                           std::to_string(built->NumParams()));
  }
  policy_ = std::move(built);
  params_ = policy.params;
  normalize_ = policy.normalize;
  if (normalize_) {
    if (policy.obs_stats.Dim() != task_->ObsDim()) {
      throw Error({source, 0, "obs_stats"}, "observation statistics have the wrong size");
    }
    normalizer_.SetStats(policy.obs_stats);
  }
  scratch_ = Vec::Zero(policy_->ScratchSize());
}

void EpisodePlayer::NewEpisode(std::uint64_t seed) {
  Stream rng(seed);
  env_.Reset(rng, obs_.data());
  ended_ = false;
  reason_ = Termination::kTimeLimit;
  return_ = 0;
  pending_seconds_ = 0;
  return_trace_.clear();
  for (auto& trace : term_traces_) trace.clear();
}

void EpisodePlayer::StepOnce() {
  if (ended_) return;
  if (policy_) {
    const double* input = obs_.data();
    if (normalize_) {
      normalizer_.Normalize(obs_.data(), normalized_.data());
      input = normalized_.data();
    }
    policy_->Act(params_.data(), input, action_.data(), scratch_.data());
  } else {
    action_.setZero();
  }
  const StepResult step = env_.Step(action_.data(), obs_.data());
  if (step.unstable) {
    ended_ = true;
    reason_ = Termination::kUnstable;
    return;
  }
  return_ += step.reward;
  return_trace_.push_back(return_);
  for (std::size_t k = 0; k < term_traces_.size(); ++k) {
    term_traces_[k].push_back(step.terms[k]);
  }
  if (step.terminated) {
    ended_ = true;
    reason_ = Termination::kUnhealthy;
  } else if (env_.TimeUp()) {
    ended_ = true;
    reason_ = Termination::kTimeLimit;
  }
}

void EpisodePlayer::Advance(double seconds, int max_steps) {
  if (ended_) return;
  pending_seconds_ += seconds;
  const double dt = task_->Dt();
  int taken = 0;
  while (pending_seconds_ >= dt && !ended_ && taken < max_steps) {
    StepOnce();
    pending_seconds_ -= dt;
    ++taken;
  }
  // Do not pile up time the display could not keep up with.
  if (taken == max_steps) pending_seconds_ = 0;
}

std::string DescribeTermination(Termination reason, int steps, int max_steps) {
  char buf[160];
  switch (reason) {
    case Termination::kTimeLimit:
      std::snprintf(buf, sizeof buf, "time limit: all %d steps done", max_steps);
      break;
    case Termination::kUnhealthy:
      std::snprintf(buf, sizeof buf,
                    "unhealthy at step %d: the task's health check failed "
                    "(fell or tipped)",
                    steps);
      break;
    case Termination::kUnstable:
      std::snprintf(buf, sizeof buf,
                    "unstable at step %d: the simulation went bad (NaN or "
                    "MuJoCo warning)",
                    steps);
      break;
  }
  return buf;
}

}  // namespace mnemo
