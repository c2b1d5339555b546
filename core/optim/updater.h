// The step from a gradient (ascent direction) to a parameter update.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/optim/search_signal.h"
#include "core/util/registry.h"

namespace mnemo {

// A named matrix or series that the viewer can draw.
struct UpdaterPanel {
  std::string name;  // e.g. "head0.S[layer0.weight]"
  Mat values;        // a heat map (rows x cols) or a series (n x 1)
};

// What an updater shows of its state (empty unless inspection is on).
struct UpdaterView {
  std::string kind;                       // updater name
  long long iteration = 0;                // steps taken since the last Reset
  std::vector<UpdaterPanel> panels;       // heat maps and series
  std::vector<double> discounts;          // per-head discounts (Mnemosyne)
  std::vector<std::string> tensor_names;  // per-tensor entries below
  std::vector<double> tensor_step_norms;  // |step| per tensor, last step
};

// Turns what it sees of the search (the ascent direction, the estimator's
// own step, sigma, the returns) into a step on theta, and may set the next
// iteration's sigma. Hand-designed (SGD, Adam, the nominal rule) or learned
// (LSTM, Mnemosyne). An updater never knows what the problem is.
class Updater {
 public:
  virtual ~Updater() = default;

  // Registry name ("sgd", "adam", "mnemosyne", ...).
  virtual std::string Name() const = 0;
  // Forgets all state and sizes it for vectors of `layout`.
  virtual void Reset(const ParamLayout& layout) = 0;
  // Moves theta by a step made from `signal`. `next_sigma` holds this
  // iteration's sigma; an updater that controls exploration replaces it
  // (others leave it).
  virtual void Step(const SearchSignal& signal, Vec* theta, double* next_sigma) = 0;
  // Turns on or off the (costly) recording of what Inspect shows.
  virtual void SetInspection(bool /*on*/) {}
  // Chooses the coordinates (indices into theta) whose state Inspect shows in
  // detail; an empty list means the updater's own choice.
  virtual void SetInspectionFocus(const std::vector<int>& /*coordinates*/) {}
  // What the viewer draws.
  virtual UpdaterView Inspect() const { return {}; }
  // Writes the whole state (for exact resume).
  virtual void SaveState(BinaryWriter& out) const = 0;
  // Restores what SaveState wrote.
  virtual void LoadState(BinaryReader& in) = 0;
};

// Updaters by name, built from their config section (e.g. `optimizer:`).
using UpdaterRegistry = Registry<Updater, const ConfigNode&>;

// Builds the updater of `registry` named by `config`'s `type` key.
std::unique_ptr<Updater> MakeUpdater(const ConfigNode& config, const UpdaterRegistry& registry);
// The same from every shipped updater (core/optim/updater_list.h).
std::unique_ptr<Updater> MakeUpdater(const ConfigNode& config);

// Throws for any key of an updater's config section other than `own` and the
// keys every section may carry ("type").
void AllowUpdaterKeys(const ConfigNode& config, std::vector<std::string> own);

// Fills view->tensor_names and view->tensor_step_norms from `layout` and the
// per-tensor sums of squared step entries.
void SetTensorStepNorms(const ParamLayout& layout, const std::vector<double>& squared_sums,
                        UpdaterView* view);

// Throws unless the signal's vectors and `theta` have the `expected` size
// (the one given to Reset); `name` names the updater in the message.
void CheckStepSizes(const std::string& name, int expected, const SearchSignal& signal,
                    const Vec& theta);

}  // namespace mnemo
