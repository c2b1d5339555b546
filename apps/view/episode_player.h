// One episode of a policy in its own Env, stepped in (scaled) real time for
// the viewer, with the return and reward terms recorded step by step.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "envs/env.h"
#include "policies/observation_normalizer.h"
#include "policies/policy.h"
#include "policies/policy_file.h"

namespace mnemo {

// Plays episodes of a saved policy. Not thread-safe (the viewer's thread).
class EpisodePlayer {
 public:
  // A player for `task`, with no policy yet (zero actions until SetPolicy).
  explicit EpisodePlayer(std::shared_ptr<const Task> task);

  // Uses `policy` from the next step on; `source` names it in errors. An
  // Error if it does not fit the task.
  void SetPolicy(const SavedPolicy& policy, const std::string& source);
  // Starts an episode whose initial state comes from `seed`.
  void NewEpisode(std::uint64_t seed);
  // Takes one environment step unless the episode has ended.
  void StepOnce();
  // Advances the simulation by `seconds` of simulated time (whole steps;
  // the remainder carries over), at most `max_steps` steps.
  void Advance(double seconds, int max_steps);

  // Whether the episode has ended (time limit, unhealthy or unstable).
  bool Ended() const { return ended_; }
  // Why it ended (meaningful when Ended()).
  Termination Reason() const { return reason_; }
  // Seed of the current episode.
  std::uint64_t Seed() const { return seed_; }
  // Steps taken in this episode.
  int Steps() const { return env_.StepsTaken(); }
  // Return so far.
  double Return() const { return return_; }
  // Return after each step (for plots).
  const std::vector<double>& ReturnTrace() const { return return_trace_; }
  // Value of reward term k after each step.
  const std::vector<std::vector<double>>& TermTraces() const { return term_traces_; }
  // Names of the reward terms.
  const std::vector<std::string>& TermNames() const { return task_->Spec().reward_terms; }
  // The task.
  const Task& GetTask() const { return *task_; }
  // The simulation state to draw.
  mjData* Data() { return env_.MutableData(); }

 private:
  std::shared_ptr<const Task> task_;
  Env env_;
  std::unique_ptr<Policy> policy_;  // null: zero actions
  Vec params_;
  bool normalize_ = false;
  ObservationNormalizer normalizer_;
  Vec obs_;
  Vec normalized_;
  Vec action_;
  Vec scratch_;
  std::uint64_t seed_ = 0;
  bool ended_ = false;
  Termination reason_ = Termination::kTimeLimit;
  double return_ = 0;
  double pending_seconds_ = 0;
  std::vector<double> return_trace_;
  std::vector<std::vector<double>> term_traces_;
};

// One line on why an episode ended, e.g. "unhealthy: the health check
// failed (the robot fell)".
std::string DescribeTermination(Termination reason, int steps, int max_steps);

}  // namespace mnemo
