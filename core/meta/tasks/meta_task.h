// The inner tasks of meta-training: an optimisation problem that a learned
// updater drives for one unroll. A task gives, at each step, the loss of the
// current parameters, and either an ascent direction (the exact negative
// gradient) or an ES search of its problem; it maps losses to the
// normalized scale on which the meta-loss of tasks of different families is
// averaged.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/es/gradient_estimator.h"
#include "core/es/problem.h"
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

// One sampled optimisation problem. Deterministic: its losses and ascent
// directions depend only on theta, the step and the task's seed (and, for
// tasks with state such as an observation normalizer, on the steps taken
// before), so the two particles of an antithetic pair see the same noise.
// A task is either a GradientTask (it gives its ascent direction) or an
// EsTask (the inner run searches it through ES estimates).
class MetaTask {
 public:
  virtual ~MetaTask() = default;

  // Named tensors of theta (the learned updaters pool statistics per tensor).
  virtual ParamLayout Layout() const = 0;
  // The starting parameters theta_0.
  virtual Vec Initial() const = 0;
  // The loss at theta (smaller is better) at inner step `step` (0-based).
  virtual double Loss(const Vec& theta, std::int64_t step) = 0;
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

// A task that gives its ascent direction itself: the exact negative
// gradient, possibly with noise (quadratics, MLPs).
class GradientTask : public MetaTask {
 public:
  // The unit of a learned updater's step (a fixed lambda).
  virtual double StepScale() const = 0;
  // The loss at theta and, in `ascent`, the direction of improvement for
  // step `step`.
  virtual double Observe(const Vec& theta, std::int64_t step, Vec* ascent) = 0;
  // The loss Observe returns.
  double Loss(const Vec& theta, std::int64_t step) override {
    Vec ascent;
    return Observe(theta, step, &ascent);
  }
};

// A task optimised through ES estimates (blackbox functions, LQR,
// locomotion): the inner run searches its problem as `mnemo train` does, with
// a GradientStrategy of the task's estimator and the learned updater, which
// sees the whole search signal (candidate returns, sigma, the estimator's
// nominal step) and may set the next sigma. Loss evaluates the center.
class EsTask : public MetaTask {
 public:
  // The problem the candidates are evaluated on (lives as long as the task).
  virtual Problem& SearchProblem() = 0;
  // The estimator of the search, handed over once (null afterwards).
  virtual std::unique_ptr<GradientEstimator> TakeEstimator() = 0;
  // The seed that keys the candidates' noise (with the inner step).
  virtual std::uint64_t NoiseSeed() const = 0;
};

}  // namespace mnemo
