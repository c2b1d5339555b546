// One running episode of a task: a worker's own mjData over a shared model.
#pragma once

#include <memory>

#include "envs/task.h"

namespace mnemo {

// A simulation instance. Reset, then Step until the result says it is over.
// Not thread-safe: each worker owns its Envs.
class Env {
 public:
  // A fresh instance of `task` (allocates one mjData).
  explicit Env(std::shared_ptr<const Task> task);

  // Starts an episode from a state drawn from `rng`; writes the observation.
  void Reset(Stream& rng, double* obs);
  // Applies `action` for one environment step (frame_skip physics steps) and
  // writes the next observation. After a result with terminated or unstable,
  // or after Task().Options().max_episode_steps steps, call Reset.
  StepResult Step(const double* action, double* obs);

  // Steps taken since the last Reset.
  int StepsTaken() const { return steps_; }
  // Whether the time limit is reached.
  bool TimeUp() const { return steps_ >= task_->Options().max_episode_steps; }
  const Task& GetTask() const { return *task_; }
  // The simulation state (for the viewer and tests).
  const mjData* Data() const { return data_.get(); }
  // Mutable state, for tests that place the robot by hand.
  mjData* MutableData() { return data_.get(); }

 private:
  // True if the state has a non-finite number or MuJoCo warned during the step.
  bool WentUnstable() const;

  std::shared_ptr<const Task> task_;
  DataPtr data_;
  int steps_ = 0;
  int warnings_before_ = 0;
};

}  // namespace mnemo
