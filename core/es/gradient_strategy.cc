#include "core/es/gradient_strategy.h"

#include "core/util/error.h"

namespace mnemo {

GradientStrategy::GradientStrategy(std::unique_ptr<GradientEstimator> estimator,
                                   std::unique_ptr<Updater> updater)
    : estimator_(std::move(estimator)), updater_(std::move(updater)) {}

std::string GradientStrategy::Name() const { return estimator_->Name() + '+' + updater_->Name(); }

void GradientStrategy::Reset(const ParamLayout& layout, Vec theta) {
  if (theta.size() != layout.Size()) {
    throw Error("search: initial theta has " + std::to_string(theta.size()) +
                " numbers, the problem has " + std::to_string(layout.Size()));
  }
  theta_ = std::move(theta);
  estimator_->Reset(static_cast<int>(theta_.size()));
  updater_->Reset(layout);
  updater_->SetStepScale(estimator_->Sigma());
}

void GradientStrategy::Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) {
  estimator_->Ask(theta_, seed, iteration, xs);
}

StrategyStep GradientStrategy::Tell(std::span<const double> fitness) {
  const Vec ascent = estimator_->Tell(fitness);
  StrategyStep out;
  out.ascent_norm = ascent.norm();
  const Vec before = theta_;
  updater_->SetStepScale(estimator_->Sigma());
  updater_->Step(ascent, &theta_);
  out.step_norm = (theta_ - before).norm();
  return out;
}

void GradientStrategy::SaveState(BinaryWriter& out) const {
  out.WriteVec(theta_);
  estimator_->SaveState(out);
  updater_->SaveState(out);
}

void GradientStrategy::LoadState(BinaryReader& in) {
  Vec theta = in.ReadVec();
  if (theta.size() != theta_.size()) throw Error("search state: theta of the wrong size");
  theta_ = std::move(theta);
  estimator_->LoadState(in);
  updater_->LoadState(in);
}

}  // namespace mnemo
