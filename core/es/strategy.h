// A search strategy: ask for candidates, tell their fitness, and theta moves.
// Either a gradient estimator with an updater (core/es/gradient_strategy.h)
// or a strategy that moves theta by its own rule (CMA-ES). Training, benches
// and meta-training see only this interface.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/optim/updater.h"
#include "core/util/registry.h"

namespace mnemo {

// What one Tell did to theta.
struct StrategyStep {
  double ascent_norm = 0.0;  // |search direction|: the gradient estimate, or CMA's mean shift
  double step_norm = 0.0;    // |theta after - theta before|
};

// Ask/Tell that moves theta. Every Tell moves theta (possibly by nothing).
class Strategy {
 public:
  virtual ~Strategy() = default;

  // The method, as summaries name it ("ars+adam", "cma_es").
  virtual std::string Name() const = 0;
  // Starts a search at `theta` for parameters of `layout`, forgetting all
  // state.
  virtual void Reset(const ParamLayout& layout, Vec theta) = 0;
  // Candidates to evaluate around theta. Candidate k's noise comes from
  // Stream(seed, iteration, k), so results never depend on the thread count.
  virtual void Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) = 0;
  // Moves theta from the candidates' fitness (same order as Ask);
  // `task_returns` are the task's own scores where the fitness is shaped
  // (Problem::LastTaskReturns; empty: the fitness is the task's score);
  // `budget_fraction` is the fraction of the run's budget spent before this
  // iteration, in [0, 1] (what a learned updater may see of it).
  virtual StrategyStep Tell(std::span<const double> fitness, std::span<const double> task_returns,
                            double budget_fraction) = 0;
  // The current parameters.
  virtual const Vec& Theta() const = 0;
  // The updater that makes the step, for inspection; null when the strategy
  // moves theta by its own rule.
  virtual Updater* StepUpdater() { return nullptr; }
  // Writes the whole state, theta included (for exact resume).
  virtual void SaveState(BinaryWriter& out) const = 0;
  // Restores what SaveState wrote (Reset must have sized the strategy).
  virtual void LoadState(BinaryReader& in) = 0;
};

// Strategies with their own step rule, by name, built from their config
// section (`search:`). Gradient estimators are in GradientEstimatorRegistry.
using StrategyRegistry = Registry<Strategy, const ConfigNode&>;

// The type a `search:` section names ("ars" when it names none).
std::string SearchType(const ConfigNode& search);

// Builds the search of a config: the strategy named by `search`'s `type`
// (default "ars"), or, when the type names a gradient estimator, that
// estimator with the updater of `optimizer`.
std::unique_ptr<Strategy> MakeStrategy(const ConfigNode& search, const ConfigNode& optimizer);

// Whether a search of `type` steps with an updater (a gradient estimator's
// type, not a strategy's own).
bool SearchUsesUpdater(const std::string& type);

// The revision of the search method `type` (see Registry::Revision).
int SearchRevision(const std::string& type);

// One line per search method (gradient estimators and strategies), sorted
// by name: what `mnemo list` shows.
std::vector<std::pair<std::string, std::string>> SearchMethodDescriptions();

}  // namespace mnemo
