// A blackbox problem: larger fitness is better.
#pragma once

#include <cstdint>
#include <span>

#include "core/math/param_layout.h"
#include "core/math/types.h"

namespace mnemo {

// What an evaluation cost (for logs and budgets).
struct EvalStats {
  std::int64_t episodes = 0;   // rollouts run (0 for synthetic problems)
  std::int64_t env_steps = 0;  // environment steps taken
  std::int64_t unstable = 0;   // rollouts ended by an unstable simulation
};

// Something to maximise over a flat vector theta.
class Problem {
 public:
  virtual ~Problem() = default;
  // Length of theta.
  virtual int Dim() const = 0;
  // Named tensors inside theta.
  virtual ParamLayout Layout() const = 0;
  // Fitness of each candidate (larger is better); adds costs to `stats`.
  virtual void Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats* stats) = 0;
  // The task's own score of each candidate of the last Evaluate, where the
  // fitness is a shaped version of it (ARS's reward shift); empty where the
  // fitness is the task's own score.
  virtual std::span<const double> LastTaskReturns() const { return {}; }
};

}  // namespace mnemo
