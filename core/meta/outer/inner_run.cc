#include "core/meta/outer/inner_run.h"

#include <algorithm>
#include <cmath>

#include "core/es/search_loop.h"
#include "core/util/error.h"

namespace mnemo {

InnerRun::InnerRun(std::unique_ptr<Updater> updater) : updater_(std::move(updater)) {}

void InnerRun::Start(std::unique_ptr<MetaTask> task, std::int64_t length) {
  task_ = std::move(task);
  theta_ = task_->Initial();
  es_task_ = dynamic_cast<EsTask*>(task_.get());
  search_.reset();
  if (es_task_ != nullptr) {
    search_ = std::make_unique<GradientStrategy>(es_task_->TakeEstimator(), *updater_);
    search_->Reset(task_->Layout(), theta_);
  } else {
    updater_->Reset(task_->Layout());
  }
  step_ = 0;
  length_ = length;
  initial_loss_ = 0.0;
  diverged_ = false;
}

void InnerRun::StepGradientTask(GradientTask& task, double* loss) {
  *loss = task.Observe(theta_, step_, &ascent_);
  if (!ascent_.allFinite()) {
    diverged_ = true;
    return;
  }
  // The task's ascent in units of its step scale; of the returns, only
  // this step's loss is known (as minus a return).
  SearchSignal signal = GradientSignal(ascent_, task.StepScale());
  signal.returns = {-*loss, 0.0, -*loss, -*loss};
  signal.iteration = step_;
  signal.budget_fraction = double(step_) / double(length_);
  double sigma = signal.sigma;
  updater_->Step(signal, &theta_, &sigma);
}

void InnerRun::StepEsTask(double* loss) {
  *loss = es_task_->Loss(theta_, step_);
  SearchIteration(es_task_->SearchProblem(), *search_, es_task_->NoiseSeed(),
                  static_cast<std::uint64_t>(step_), double(step_) / double(length_), &candidates_,
                  &fitness_, nullptr);
  theta_ = search_->Theta();
}

double InnerRun::Advance(int steps) {
  const std::int64_t end = std::min(length_, step_ + steps);
  double sum = 0.0;
  for (; step_ < end; ++step_) {
    if (diverged_) {
      sum += MaxNormalizedLoss();
      continue;
    }
    double loss = 0.0;
    if (search_) {
      StepEsTask(&loss);
    } else {
      StepGradientTask(static_cast<GradientTask&>(*task_), &loss);
    }
    if (step_ == 0) initial_loss_ = loss;
    const double normalized = task_->Normalize(loss, initial_loss_);
    sum += normalized;
    if (normalized >= MaxNormalizedLoss() || !theta_.allFinite()) diverged_ = true;
  }
  return sum;
}

double InnerRun::Evaluate() {
  if (diverged_) return MaxNormalizedLoss();
  const double loss = task_->Loss(theta_, step_);
  if (step_ == 0) return 0.0;
  return task_->Normalize(loss, initial_loss_);
}

void InnerRun::SaveState(BinaryWriter& out) const {
  out.WriteI64(step_);
  out.WriteI64(length_);
  out.WriteDouble(initial_loss_);
  out.WriteI64(diverged_ ? 1 : 0);
  out.WriteVec(theta_);
  task_->SaveState(out);
  if (search_) {
    search_->SaveState(out);
  } else {
    updater_->SaveState(out);
  }
}

void InnerRun::LoadState(BinaryReader& in, std::unique_ptr<MetaTask> task) {
  Start(std::move(task), 0);
  step_ = in.ReadI64();
  length_ = in.ReadI64();
  initial_loss_ = in.ReadDouble();
  diverged_ = in.ReadI64() != 0;
  Vec theta = in.ReadVec();
  if (theta.size() != theta_.size() || step_ < 0 || step_ > length_) {
    throw Error("meta-training state: an inner run does not fit its task");
  }
  theta_ = std::move(theta);
  task_->LoadState(in);
  if (search_) {
    search_->LoadState(in);
    if (search_->Theta() != theta_) {
      throw Error("meta-training state: an inner search does not fit its run");
    }
  } else {
    updater_->LoadState(in);
  }
}

}  // namespace mnemo
