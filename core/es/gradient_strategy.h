// A gradient estimator and an updater as one strategy: Tell estimates the
// ascent direction and the updater turns it into the step.
#pragma once

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

  // "<estimator>+<updater>".
  std::string Name() const override;
  void Reset(const ParamLayout& layout, Vec theta) override;
  void Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) override;
  // Estimates the ascent direction and steps theta with the updater, whose
  // step scale is the estimator's sigma.
  StrategyStep Tell(std::span<const double> fitness) override;
  const Vec& Theta() const override { return theta_; }
  Updater* StepUpdater() override { return updater_.get(); }
  void SaveState(BinaryWriter& out) const override;
  void LoadState(BinaryReader& in) override;

 private:
  std::unique_ptr<GradientEstimator> estimator_;
  std::unique_ptr<Updater> updater_;
  Vec theta_;
};

}  // namespace mnemo
