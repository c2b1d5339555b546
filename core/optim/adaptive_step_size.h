// The step-size rule of the adaptive nominal step (updater nominal_adaptive,
// and the anchor of the Mnemosyne controller): a gain exp(l) on the
// estimator's own step, adapted in the run so that a step size off by a
// factor of several is corrected without tuning:
//   l += rate * (a - target),  a = moving average of cos(nominal_t, nominal_t-1)
// within +-ln(max_gain); and when the candidates' mean return falls more
// than `collapse_spreads` spreads below the best mean seen since the last
// collapse, theta goes back to where that best mean was measured and l
// drops by ln 2.
#pragma once

#include <string>
#include <vector>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/types.h"
#include "core/optim/search_signal.h"

namespace mnemo {

// The rule's settings (each a key of its config section).
struct AdaptiveStepSettings {
  double initial_gain = 1.0;         // exp(l) at the start
  double agreement_rate = 0.3;       // l's change per unit of agreement
  double agreement_smoothing = 0.2;  // weight of the newest cosine in the average
  double agreement_target = 0.0;     // the average at which l stays put
  double collapse_spreads = 1.0;     // a fall of this many spreads is a collapse
  double max_gain = 8.0;             // exp(|l|) bound

  // The keys FromConfig reads.
  static std::vector<std::string> Keys();
  // The settings `config` gives (defaults above); out-of-range values are
  // Errors naming the key.
  static AdaptiveStepSettings FromConfig(const ConfigNode& config);
};

// The rule's state over a run.
class AdaptiveStepSize {
 public:
  explicit AdaptiveStepSize(const AdaptiveStepSettings& settings);

  // Forgets the run; vectors will have `size` entries.
  void Reset(int size);
  // Reads this iteration's signal at `theta`. On a collapse, takes theta
  // back to the best point, lowers the gain and returns false: no step this
  // iteration. Otherwise updates the gain from the agreement of the nominal
  // steps and returns true: the step is Gain() * signal.nominal_step.
  bool Observe(const SearchSignal& signal, Vec* theta);
  // The gain exp(l) on the nominal step.
  double Gain() const;

  void Save(BinaryWriter& out) const;
  // Restores what Save wrote; an Error when it does not fit.
  void Load(BinaryReader& in);

 private:
  // Whether the candidates' mean return fell too far below the best mean.
  bool Collapsed(double mean, double spread) const;
  // cos(step, last step); 0 when either is zero.
  double Cosine(const Vec& step) const;

  AdaptiveStepSettings settings_;
  double max_log_gain_ = 0.0;  // ln(max_gain)
  int size_ = 0;               // vector size given to Reset
  double log_gain_ = 0.0;      // l
  double agreement_ = 0.0;     // moving average of successive cosines
  Vec last_step_;              // the previous nominal step (empty: none)
  double best_mean_ = 0.0;     // best candidates' mean return since the last collapse
  double best_spread_ = 0.0;   // the spread when it was measured
  Vec best_theta_;             // theta where it was measured (empty: none)
};

}  // namespace mnemo
