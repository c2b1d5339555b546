// The step-size rule of the adaptive nominal step (updater nominal_adaptive,
// and the anchor of the Mnemosyne controller): a gain exp(l) on the
// estimator's own step, adapted in the run so that a step size off by a
// factor of several is corrected without tuning.
//  - Slow start: l starts at ln(initial_gain) (a quarter of the given step)
//    and grows by ln(start_growth) per iteration until the first collapse,
//    or until the agreement below falls `start_exit_errors` standard errors
//    under its target.
//  - Agreement: l += rate * (a - target), a = moving average of
//    cos(nominal_t, nominal_t-1), within +-ln(max_gain).
//  - Collapse: theta goes back to an earlier point, l drops by ln 2, the
//    slow start ends, and the point is measured afresh. Two tests, both on
//    the candidates' own task returns (unshaped by ARS's reward shift): the
//    batch mean more than `collapse_spreads` spreads below the best batch
//    mean since the last collapse (back to that batch's point; on a batch
//    of fewer than `rank_min_returns` returns, too few to blame the step
//    size, theta goes back and the slow start ends, but l stays; on a larger
//    batch only when the next batch, at the same theta, falls too, so that
//    a one-off dip does not halve the gain); and a rank-sum
//    test of the latest returns (the last batches that hold at least
//    `rank_min_returns`) against those of the best such sample since the
//    last collapse, z below -rank_collapse_z (back to that sample's point).
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
  double initial_gain = 0.25;        // exp(l) at the start
  double start_growth = 1.1;         // the gain's factor per iteration in the slow start (1: none)
  double start_exit_errors = 2.0;    // the agreement's shortfall that ends the slow start
  double agreement_rate = 0.3;       // l's change per unit of agreement
  double agreement_smoothing = 0.2;  // weight of the newest cosine in the average
  double agreement_target = -0.03;   // the average at which l stays put
  double collapse_spreads = 1.0;     // a fall of this many spreads is a collapse
  double rank_collapse_z = 4.0;      // a rank-sum z below minus this is a collapse (0: no test)
  int rank_min_returns = 16;         // returns in each sample of the rank test
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
  // back to the earlier point, lowers the gain and returns false: no step
  // this iteration. Otherwise updates the gain and returns true: the step is
  // Gain() * signal.nominal_step.
  bool Observe(const SearchSignal& signal, Vec* theta);
  // The gain exp(l) on the nominal step.
  double Gain() const;

  void Save(BinaryWriter& out) const;
  // Restores what Save wrote; an Error when it does not fit.
  void Load(BinaryReader& in);

 private:
  // Takes theta back to `point`, ends the slow start, and halves the gain
  // when `blame_step`; forgets what the tests compare with.
  void Collapse(const Vec& point, bool blame_step, Vec* theta);
  // Whether a batch mean fell too far below the best batch mean.
  bool SpreadCollapse(double mean, double spread) const;
  // Adds a batch's task returns to the rank test's window; true (and the
  // z-score in *z) when the pooled window is ranked below the reference.
  bool RankCollapse(const std::vector<double>& returns, const Vec& theta);
  // cos(step, last step); 0 when either is zero.
  double Cosine(const Vec& step) const;
  // Updates the agreement and the gain after a step that was not a collapse.
  void Adapt(const Vec& step);

  AdaptiveStepSettings settings_;
  double max_log_gain_ = 0.0;    // ln(max_gain)
  int size_ = 0;                 // vector size given to Reset
  double log_gain_ = 0.0;        // l
  bool starting_ = true;         // in the slow start
  bool suspect_ = false;         // the last batch fell; the next one confirms or clears it
  std::int64_t agreements_ = 0;  // cosines averaged since the last collapse
  double agreement_ = 0.0;       // moving average of successive cosines
  Vec last_step_;                // the previous nominal step (empty: none)
  double best_mean_ = 0.0;       // best batch mean of task returns since the last collapse
  double best_spread_ = 0.0;     // the spread when it was measured
  Vec best_theta_;               // theta where it was measured (empty: none)
  std::vector<std::vector<double>> window_;  // the latest batches' task returns
  std::vector<double> rank_reference_;       // the best pooled sample since the last collapse
  double rank_reference_mean_ = 0.0;         // its mean
  Vec rank_theta_;                           // theta where it was measured (empty: none)
};

}  // namespace mnemo
