#include "core/es/gradient_strategy.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/util/error.h"

namespace mnemo {

GradientStrategy::GradientStrategy(std::unique_ptr<GradientEstimator> estimator,
                                   std::unique_ptr<Updater> updater)
    : estimator_(std::move(estimator)),
      owned_updater_(std::move(updater)),
      updater_(owned_updater_.get()) {}

GradientStrategy::GradientStrategy(std::unique_ptr<GradientEstimator> estimator, Updater& updater)
    : estimator_(std::move(estimator)), updater_(&updater) {}

std::string GradientStrategy::Name() const { return estimator_->Name() + '+' + updater_->Name(); }

void GradientStrategy::Reset(const ParamLayout& layout, Vec theta) {
  if (theta.size() != layout.Size()) {
    throw Error("search: initial theta has " + std::to_string(theta.size()) +
                " numbers, the problem has " + std::to_string(layout.Size()));
  }
  theta_ = std::move(theta);
  sigma_ = estimator_->InitialSigma();
  best_so_far_ = -std::numeric_limits<double>::infinity();
  iteration_ = 0;
  estimator_->Reset(static_cast<int>(theta_.size()));
  updater_->Reset(layout);
}

void GradientStrategy::Ask(std::uint64_t seed, std::uint64_t iteration, std::vector<Vec>* xs) {
  iteration_ = iteration;
  estimator_->Ask(theta_, sigma_, seed, iteration, xs);
}

StrategyStep GradientStrategy::Tell(std::span<const double> fitness,
                                    std::span<const double> task_returns, double budget_fraction) {
  if (!task_returns.empty() && task_returns.size() != fitness.size()) {
    throw Error("search: " + std::to_string(task_returns.size()) + " task returns for " +
                std::to_string(fitness.size()) + " fitness values");
  }
  SearchSignal signal;
  signal.ascent = estimator_->Tell(fitness);
  signal.nominal_step = estimator_->StepSize() * signal.ascent;
  signal.sigma = sigma_;
  signal.returns = SummarizeReturns(fitness);
  if (signal.returns.best > best_so_far_) best_so_far_ = signal.returns.best;
  signal.returns.best_so_far = best_so_far_;
  const std::span<const double> own = task_returns.empty() ? fitness : task_returns;
  signal.task_returns.assign(own.begin(), own.end());
  signal.iteration = static_cast<std::int64_t>(iteration_);
  signal.budget_fraction = budget_fraction;

  StrategyStep out;
  out.ascent_norm = signal.ascent.norm();
  const Vec before = theta_;
  double next_sigma = sigma_;
  updater_->Step(signal, &theta_, &next_sigma);
  if (!(next_sigma > 0.0) || !std::isfinite(next_sigma)) {
    throw Error("updater '" + updater_->Name() + "' set the exploration sigma to " +
                std::to_string(next_sigma));
  }
  sigma_ = next_sigma;
  out.step_norm = (theta_ - before).norm();
  return out;
}

void GradientStrategy::SaveState(BinaryWriter& out) const {
  out.WriteVec(theta_);
  out.WriteDouble(sigma_);
  out.WriteDouble(best_so_far_);
  estimator_->SaveState(out);
  updater_->SaveState(out);
}

void GradientStrategy::LoadState(BinaryReader& in) {
  Vec theta = in.ReadVec();
  if (theta.size() != theta_.size()) throw Error("search state: theta of the wrong size");
  theta_ = std::move(theta);
  sigma_ = in.ReadDouble();
  best_so_far_ = in.ReadDouble();
  // Sigma is a positive number; the best fitness is -infinity before the
  // first iteration, else a number.
  if (!std::isfinite(sigma_) || !(sigma_ > 0.0) || std::isnan(best_so_far_) ||
      best_so_far_ == std::numeric_limits<double>::infinity()) {
    throw Error("search state: sigma " + std::to_string(sigma_) + " or best fitness " +
                std::to_string(best_so_far_) + " out of range");
  }
  estimator_->LoadState(in);
  updater_->LoadState(in);
}

}  // namespace mnemo
