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
  // The simulation state to draw.
  mjData* Data() { return env_.MutableData(); }

 private:
  std::shared_ptr<const Task> task_;              // the robot and its rules
  Env env_;                                       // the viewer's own simulation
  std::unique_ptr<Policy> policy_;                // null: zero actions
  Vec params_;                                    // the policy's parameters
  bool normalize_ = false;                        // whether observations are normalized
  ObservationNormalizer normalizer_;              // the policy's observation statistics
  Vec obs_;                                       // the current observation
  Vec normalized_;                                // obs_ normalized
  Vec action_;                                    // the last action
  Vec scratch_;                                   // the policy's scratch space
  bool ended_ = false;                            // whether the episode has ended
  Termination reason_ = Termination::kTimeLimit;  // why it ended
  double return_ = 0;                             // return so far
  double pending_seconds_ = 0;                    // simulated time not yet stepped
  std::vector<double> return_trace_;              // return after each step
  std::vector<std::vector<double>> term_traces_;  // each reward term after each step
};

// One line on why an episode ended, e.g. "unhealthy: the health check
// failed (the robot fell)".
std::string DescribeTermination(Termination reason, int steps, int max_steps);

}  // namespace mnemo
