// A gradient estimator and an updater as one strategy: Tell estimates the
// ascent direction, and the updater turns what it sees of the search (the
// SearchSignal) into the step and may set the next iteration's sigma.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "core/es/gradient_estimator.h"
#include "core/es/strategy.h"

namespace mnemo {

// ARS, OpenAI-ES or any estimator, stepped by SGD, Adam, a learned updater...
class GradientStrategy final : public Strategy {
 public:
  // Steps the estimates of `estimator` with `updater` (both owned).
  GradientStrategy(std::unique_ptr<GradientEstimator> estimator, std::unique_ptr<Updater> updater);
  // Steps with `updater`, owned by the caller and outliving the strategy
  // (meta-training's inner runs keep the learned updater whose
  // meta-parameters they set).
  GradientStrategy(std::unique_ptr<GradientEstimator> estimator, Updater& updater);

  // "<estimator>+<updater>".
  std::string Name() const override;
  void Reset(const ParamLayout& layout, Vec theta) override;
  void Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) override;
  // Estimates the ascent direction and steps theta with the updater; the
  // updater's sigma (positive and finite, or an Error) is the next Ask's.
  StrategyStep Tell(std::span<const double> fitness, std::span<const double> task_returns,
                    double budget_fraction) override;
  const Vec& Theta() const override { return theta_; }
  // The exploration sigma of the next Ask.
  double Sigma() const { return sigma_; }
  Updater* StepUpdater() override { return updater_; }
  void SaveState(BinaryWriter& out) const override;
  void LoadState(BinaryReader& in) override;

 private:
  std::unique_ptr<GradientEstimator> estimator_;
  std::unique_ptr<Updater> owned_updater_;  // null when the updater is borrowed
  Updater* updater_;                        // owned_updater_ or the borrowed one
  Vec theta_;
  double sigma_ = 1.0;  // exploration sigma of the next Ask
  double best_so_far_ = -std::numeric_limits<double>::infinity();  // best fitness of the run
  std::uint64_t iteration_ = 0;                                    // the iteration of the last Ask
};

}  // namespace mnemo
