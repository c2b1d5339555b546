// The inner tasks of meta-training: an optimisation problem that a learned
// updater drives for one unroll. A task gives, at each step, the loss of the
// current parameters and an ascent direction (the exact negative gradient,
// or an ES estimate), and maps losses to the normalized scale on which the
// meta-loss of tasks of different families is averaged.
#pragma once

#include <cstdint>
#include <string>

#include "core/io/binary_io.h"
#include "core/math/param_layout.h"
#include "core/math/types.h"

namespace mnemo {

// Bounds of the normalized loss ln(loss / initial loss): a task that gains
// more than a factor kMinLossRatio counts as solved, one that loses more than
// kMaxLossRatio (or turns non-finite) as diverged.
constexpr double kMinLossRatio = 1e-6;
constexpr double kMaxLossRatio = 10.0;

// The normalized loss of the non-negative-loss families:
// ln(clamp(loss / initial, kMinLossRatio, kMaxLossRatio)), so in
// [ln 1e-6, ln 10] = [-13.8, 2.3]; 0 at the start; ln 10 when `loss` is not
// finite. A non-positive `initial` counts as already solved (kMinLossRatio).
double LogLossRatio(double loss, double initial);

// The largest normalized loss any task reports (a diverged step).
double MaxNormalizedLoss();

// One sampled optimisation problem. Deterministic: Observe's result depends
// only on theta, the step and the task's seed (and, for tasks with state such
// as an observation normalizer, on the steps taken before), so the two
// particles of an antithetic pair see the same noise.
class MetaTask {
 public:
  virtual ~MetaTask() = default;

  // Named tensors of theta (the learned updaters pool statistics per tensor).
  virtual ParamLayout Layout() const = 0;
  // The starting parameters theta_0.
  virtual Vec Initial() const = 0;
  // The unit of a learned updater's step: a fixed lambda for exact-gradient
  // tasks, the ES sigma for ES-estimated ones.
  virtual double StepScale() const = 0;
  // The loss at theta (smaller is better) and, in `ascent`, the direction of
  // improvement for step `step` (0-based): -gradient, or an ES estimate.
  virtual double Observe(const Vec& theta, std::int64_t step, Vec* ascent) = 0;
  // The loss Observe would return, without the ascent direction (an unroll's
  // final evaluation). By default it calls Observe; tasks whose ascent is
  // costly (an ES estimate) override it.
  virtual double Loss(const Vec& theta, std::int64_t step) {
    Vec ascent;
    return Observe(theta, step, &ascent);
  }
  // The normalized loss (see LogLossRatio) of `loss` given the loss
  // `initial` at theta_0. Families whose loss may be negative override it.
  virtual double Normalize(double loss, double initial) const {
    return LogLossRatio(loss, initial);
  }
  // A short description for logs, e.g. "mlp[4-16-1] reg".
  virtual std::string Describe() const = 0;
  // Writes the task's mutable state (most tasks have none).
  virtual void SaveState(BinaryWriter& /*out*/) const {}
  // Restores what SaveState wrote.
  virtual void LoadState(BinaryReader& /*in*/) {}
};

}  // namespace mnemo
