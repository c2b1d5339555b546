// The scale-free inputs of the Mnemosyne controller (docs/MNEMOSYNE.md): per coordinate,
// how much of its gradient estimate is signal (sign agreement with its own
// history over three timescales, |m| / sqrt(v), its size within its tensor);
// per run, one token per iteration (budget spent, return progress z-scored
// within the run, improvement over the best so far, agreement of successive
// directions, sigma against the first one). Ranks, ratios and z-scores only,
// so that a robot's return scale and a task's parameter scale do not matter.
// Every input is finite and bounded, whatever the signal holds.
#pragma once

#include <cstdint>

#include "core/io/binary_io.h"
#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/optim/search_signal.h"

namespace mnemo {

// Inputs per coordinate.
constexpr int kCoordinateInputs = 5;
// Inputs of a run token.
constexpr int kRunInputs = 6;

// The running statistics of every coordinate's ascent estimates.
class CoordinateInputs {
 public:
  // Forgets everything; sizes for `layout` (tensor sizes normalize
  // magnitudes).
  void Reset(const ParamLayout& layout);
  // The inputs of this step (rows: coordinates; columns: kCoordinateInputs)
  // from the ascent g, against the history before it; then adds g to the
  // history.
  void Next(const Vec& ascent, Mat* inputs);

  // Writes the statistics (for exact resume).
  void Save(BinaryWriter& out) const;
  // Restores what Save wrote (Reset must have sized it).
  void Load(BinaryReader& in);

 private:
  ParamLayout layout_;
  Mat sign_means_;     // n x 3: moving averages of sign(g), decays 0.5, 0.9, 0.99
  Vec first_moment_;   // moving average of g (0.9)
  Vec second_moment_;  // moving average of g^2 (0.99)
};

// The running statistics of a run's iterations.
class RunInputs {
 public:
  // Forgets everything.
  void Reset();
  // The token of this iteration (kRunInputs numbers) from `signal`, against
  // the iterations before it; then adds the iteration to the history.
  Vec Next(const SearchSignal& signal);

  // Writes the statistics (for exact resume).
  void Save(BinaryWriter& out) const;
  // Restores what Save wrote.
  void Load(BinaryReader& in);

 private:
  std::int64_t count_ = 0;         // iterations seen
  double first_sigma_ = 0.0;       // sigma of the first iteration
  double mean_of_means_ = 0.0;     // running mean of the iterations' mean returns
  double squares_of_means_ = 0.0;  // running sum of squared deviations (Welford)
  double last_mean_ = 0.0;         // the previous iteration's mean return
  double best_so_far_ = 0.0;       // best return before this iteration
  Vec last_ascent_;                // the previous iteration's ascent
};

}  // namespace mnemo
