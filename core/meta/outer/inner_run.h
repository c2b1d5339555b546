// One inner optimisation: a task driven by an updater for an unroll of a
// given length, advanced a truncation at a time. A GradientTask's ascent is
// stepped by the updater directly; an EsTask is searched by a
// GradientStrategy of the task's estimator and the updater (the project's
// one Ask -> Evaluate -> Tell), so the updater sees the whole search signal
// and may set sigma. It records the normalized loss of every step (what
// meta-training averages) and stops updating once the task diverges.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/es/gradient_strategy.h"
#include "core/io/binary_io.h"
#include "core/meta/tasks/meta_task.h"
#include "core/optim/updater.h"

namespace mnemo {

// A task, the updater that optimises it, and where the unroll stands.
class InnerRun {
 public:
  // A run that steps with `updater` (owned).
  explicit InnerRun(std::unique_ptr<Updater> updater);

  // Starts an unroll of `length` steps on `task` from its theta_0: resets the
  // updater for the task's layout (an EsTask hands its estimator over).
  void Start(std::unique_ptr<MetaTask> task, std::int64_t length);
  // Runs up to `steps` more steps (never past the length) and returns the
  // sum of their normalized losses; each step observes the loss at theta,
  // then (unless diverged) moves theta. A diverged run counts the largest
  // normalized loss for every remaining step. Step t is told the budget
  // fraction t / length.
  double Advance(int steps);
  // The normalized loss at the current theta (the task's Loss, without an
  // ascent direction; the unroll does not advance).
  double Evaluate();

  // The updater (e.g. to set meta-parameters between truncations).
  Updater& GetUpdater() { return *updater_; }
  // Whether the unroll has run all its steps.
  bool Done() const { return step_ >= length_; }
  // Steps run so far.
  std::int64_t StepsRun() const { return step_; }
  std::int64_t Length() const { return length_; }
  // Whether the task diverged (non-finite or exploding loss or theta).
  bool Diverged() const { return diverged_; }
  // The loss at theta_0.
  double InitialLoss() const { return initial_loss_; }
  const Vec& Theta() const { return theta_; }
  const MetaTask& Task() const { return *task_; }

  // Writes the unroll's position, theta, the task's and the updater's state
  // (for an EsTask, the search's state, which holds theta and the updater's).
  void SaveState(BinaryWriter& out) const;
  // Restarts on `task` (rebuilt by the caller from its draw) and restores
  // what SaveState wrote.
  void LoadState(BinaryReader& in, std::unique_ptr<MetaTask> task);

 private:
  // One step of a GradientTask: its loss in `loss`, then the updater's step
  // (unless the ascent is not finite: the run diverged).
  void StepGradientTask(GradientTask& task, double* loss);
  // One step of an EsTask: the center's loss in `loss`, then one search
  // iteration.
  void StepEsTask(double* loss);

  std::unique_ptr<Updater> updater_;          // steps theta
  std::unique_ptr<MetaTask> task_;            // the task of the current unroll
  EsTask* es_task_ = nullptr;                 // task_ when it is an EsTask
  std::unique_ptr<GradientStrategy> search_;  // an EsTask's search (borrows updater_)
  std::vector<Vec> candidates_;               // scratch of the search
  std::vector<double> fitness_;               // scratch of the search
  Vec theta_;                                 // the task's current parameters
  Vec ascent_;                                // scratch of a GradientTask's step
  std::int64_t step_ = 0;                     // steps run in this unroll
  std::int64_t length_ = 0;                   // steps in this unroll
  double initial_loss_ = 0.0;                 // loss at theta_0 (normalizes the others)
  bool diverged_ = false;                     // set once the task diverges
};

}  // namespace mnemo
