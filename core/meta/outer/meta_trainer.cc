#include "core/meta/outer/meta_trainer.h"

#include <cmath>
#include <limits>

#include "core/math/random_stream.h"

namespace mnemo {
namespace {

// Tags that separate the random streams derived from the run's seed.
constexpr std::uint64_t kTaskTag = 0x7a5c;
constexpr std::uint64_t kNoiseTag = 0x9e15;
constexpr std::uint64_t kHeldInTag = 0x4e1d;
constexpr std::uint64_t kHeldOutTag = 0x0b7d;
// Tag of the state format.
constexpr char kStateTag[] = "mnemo-meta-state-v2";

// The optimizer section the particles' copies are built from.
ConfigNode CopyConfig(const MetaConfig& config) {
  const ConfigNode base = config.init_from.empty()
                              ? config.optimizer
                              : ConfigWithKey(config.optimizer, "weights", config.init_from);
  return ConfigWithKey(base, "threads", "1");
}

// The learned updater inside `run`.
LearnedUpdater& Learned(InnerRun& run) { return static_cast<LearnedUpdater&>(run.GetUpdater()); }

}  // namespace

MetaTrainer::MetaTrainer(const MetaConfig& config)
    : config_(config),
      copy_config_(CopyConfig(config)),
      prototype_(MakeLearnedUpdater(copy_config_, *config.updaters)),
      outer_(MakeUpdater(config.outer, *config.updaters)),
      mixture_(config.families, *config.families_registry),
      pool_(config.threads) {
  if (config_.held_out.Yaml().size() > 0) {
    held_out_ = std::make_unique<TaskMixture>(config_.held_out, *config_.families_registry);
  }
  meta_params_ = prototype_->MetaParams();
  start_params_ = meta_params_;
  outer_->Reset(prototype_->MetaLayout());
  pairs_.resize(config_.pairs);
  for (int j = 0; j < config_.pairs; ++j) {
    pairs_[j].plus = std::make_unique<InnerRun>(MakeCopy());
    pairs_[j].minus = std::make_unique<InnerRun>(MakeCopy());
    StartUnroll(pairs_[j], j);
  }
}

std::unique_ptr<Updater> MetaTrainer::MakeCopy() const {
  return MakeLearnedUpdater(copy_config_, *config_.updaters);
}

TaskDraw MetaTrainer::DrawTask(int j, std::uint64_t unroll) const {
  Stream rng(MixBits(config_.seed ^ kTaskTag), unroll, static_cast<std::uint64_t>(j));
  TaskDraw draw;
  draw.family = mixture_.DrawFamily(rng);
  draw.seed = rng.NextBits();
  draw.length = mixture_.Unroll(draw.family, config_.unroll).SampleInt(rng);
  return draw;
}

void MetaTrainer::StartUnroll(Pair& pair, int j) {
  pair.draw = DrawTask(j, pair.unrolls++);
  pair.plus->Start(mixture_.Sample(pair.draw.family, pair.draw.seed), pair.draw.length);
  pair.minus->Start(mixture_.Sample(pair.draw.family, pair.draw.seed), pair.draw.length);
  pair.accumulator = Vec::Zero(meta_params_.size());
}

Vec MetaTrainer::EstimateGradient(MetaIterationReport* report) {
  const int pairs = config_.pairs;
  const int dim = static_cast<int>(meta_params_.size());
  // New unrolls (task sampling is not thread-safe: here, in pair order).
  for (int j = 0; j < pairs; ++j) {
    if (pairs_[j].plus->Done()) StartUnroll(pairs_[j], j);
  }
  eps_.resize(dim, pairs);
  const std::uint64_t noise_seed = MixBits(config_.seed ^ kNoiseTag);
  pool_.ParallelFor(pairs, [&](int, int j) {
    Stream rng(noise_seed, estimates_, static_cast<std::uint64_t>(j));
    rng.FillNormal({eps_.col(j).data(), static_cast<std::size_t>(dim)});
    eps_.col(j) *= config_.sigma;
  });
  std::vector<double> losses(2 * pairs, 0.0);
  std::vector<std::int64_t> steps(2 * pairs, 0);
  pool_.ParallelFor(2 * pairs, [&](int, int i) {
    const int j = i / 2;
    const double sign = i % 2 == 0 ? 1.0 : -1.0;
    InnerRun& run = i % 2 == 0 ? *pairs_[j].plus : *pairs_[j].minus;
    Learned(run).SetMetaParams(meta_params_ + sign * eps_.col(j));
    const std::int64_t before = run.StepsRun();
    losses[i] = RunLoss(run, config_.whole_runs ? run.Length() : config_.truncation);
    steps[i] = run.StepsRun() - before;
  });
  ++estimates_;
  Vec gradient = Vec::Zero(dim);
  MetaIterationReport r;
  const double scale = 1.0 / (2.0 * config_.sigma * config_.sigma * pairs);
  for (int j = 0; j < pairs; ++j) {
    Pair& pair = pairs_[j];
    pair.accumulator += eps_.col(j);
    const double difference = losses[2 * j] - losses[2 * j + 1];
    const double shaped =
        config_.sign_differences ? double((difference > 0.0) - (difference < 0.0)) : difference;
    gradient += (scale * shaped) * pair.accumulator;
    r.meta_loss += 0.5 * (losses[2 * j] + losses[2 * j + 1]) / pairs;
    r.inner_steps += steps[2 * j] + steps[2 * j + 1];
    r.diverged += (pair.plus->Diverged() ? 1 : 0) + (pair.minus->Diverged() ? 1 : 0);
    if (pair.plus->Done()) ++r.unrolls_finished;
  }
  r.grad_norm = gradient.norm();
  if (report != nullptr) *report = r;
  return gradient;
}

MetaIterationReport MetaTrainer::Iterate() {
  MetaIterationReport report;
  Vec gradient = EstimateGradient(&report);
  if (config_.decay > 0.0) gradient += config_.decay * (meta_params_ - start_params_);
  if (config_.max_grad_norm > 0.0 && report.grad_norm > config_.max_grad_norm) {
    gradient *= config_.max_grad_norm / report.grad_norm;
  }
  const Vec before = meta_params_;
  if (gradient.allFinite()) {
    double unused_sigma = 1.0;
    outer_->Step(GradientSignal(-gradient), &meta_params_, &unused_sigma);
  }
  report.step_norm = (meta_params_ - before).norm();
  ++iteration_;
  report.iteration = iteration_;
  return report;
}

double MetaTrainer::RunLoss(InnerRun& run, std::int64_t steps) const {
  const int n = static_cast<int>(std::min<std::int64_t>(steps, std::numeric_limits<int>::max()));
  double loss = run.Advance(n) / static_cast<double>(n);
  if (config_.whole_runs) loss += run.Evaluate();
  return loss;
}

std::vector<TaskDraw> MetaTrainer::EvalDraws(const TaskMixture& mixture, std::uint64_t tag,
                                             std::int64_t length) const {
  std::vector<TaskDraw> draws;
  for (int k = 0; k < config_.eval_tasks; ++k) {
    Stream rng(MixBits(config_.seed ^ tag), static_cast<std::uint64_t>(k));
    TaskDraw draw;
    draw.family = mixture.DrawFamily(rng);
    draw.seed = rng.NextBits();
    draw.length = length;
    draws.push_back(draw);
  }
  return draws;
}

double MetaTrainer::EvaluateSet(const TaskMixture& mixture, const std::vector<TaskDraw>& draws,
                                int* diverged) {
  const int count = static_cast<int>(draws.size());
  while (static_cast<int>(eval_runs_.size()) < count) {
    eval_runs_.push_back(std::make_unique<InnerRun>(MakeCopy()));
  }
  for (int k = 0; k < count; ++k) {
    eval_runs_[k]->Start(mixture.Sample(draws[k].family, draws[k].seed), draws[k].length);
    Learned(*eval_runs_[k]).SetMetaParams(meta_params_);
  }
  std::vector<double> losses(count, 0.0);
  pool_.ParallelFor(count, [&](int, int k) {
    InnerRun& run = *eval_runs_[k];
    losses[k] = RunLoss(run, run.Length());
  });
  double mean = 0.0;
  for (int k = 0; k < count; ++k) {
    mean += losses[k] / count;
    if (eval_runs_[k]->Diverged()) ++*diverged;
  }
  return mean;
}

MetaEvaluation MetaTrainer::Evaluate() {
  MetaEvaluation e;
  e.held_in =
      EvaluateSet(mixture_, EvalDraws(mixture_, kHeldInTag, config_.eval_length), &e.diverged);
  e.held_out = std::numeric_limits<double>::quiet_NaN();
  if (held_out_) {
    e.held_out = EvaluateSet(
        *held_out_, EvalDraws(*held_out_, kHeldOutTag, config_.held_out_length), &e.diverged);
  }
  return e;
}

void MetaTrainer::SaveWeights(const std::string& path) const {
  prototype_->SetMetaParams(meta_params_);
  prototype_->SaveWeights(path);
}

void MetaTrainer::SaveState(BinaryWriter& out) const {
  out.WriteString(kStateTag);
  out.WriteI64(iteration_);
  out.WriteU64(estimates_);
  out.WriteVec(meta_params_);
  outer_->SaveState(out);
  out.WriteI64(static_cast<std::int64_t>(pairs_.size()));
  for (const Pair& pair : pairs_) {
    out.WriteI64(pair.draw.family);
    out.WriteU64(pair.draw.seed);
    out.WriteI64(pair.draw.length);
    out.WriteU64(pair.unrolls);
    out.WriteVec(pair.accumulator);
    pair.plus->SaveState(out);
    pair.minus->SaveState(out);
  }
}

void MetaTrainer::LoadState(BinaryReader& in) {
  if (in.ReadString() != kStateTag) {
    throw Error("not a meta-training state (or of another version)");
  }
  const std::int64_t iteration = in.ReadI64();
  const std::uint64_t estimates = in.ReadU64();
  Vec params = in.ReadVec();
  if (params.size() != meta_params_.size() || iteration < 0) {
    throw Error("meta-training state is for another learned updater (" +
                std::to_string(params.size()) + " meta-parameters, the config's has " +
                std::to_string(meta_params_.size()) + ")");
  }
  outer_->LoadState(in);
  if (in.ReadI64() != static_cast<std::int64_t>(pairs_.size())) {
    throw Error("meta-training state has another number of pairs");
  }
  for (Pair& pair : pairs_) {
    pair.draw.family = static_cast<int>(in.ReadI64());
    pair.draw.seed = in.ReadU64();
    pair.draw.length = in.ReadI64();
    pair.unrolls = in.ReadU64();
    pair.accumulator = in.ReadVec();
    if (pair.draw.family < 0 || pair.draw.family >= mixture_.Size() ||
        pair.accumulator.size() != params.size()) {
      throw Error("meta-training state does not fit the config's families");
    }
    pair.plus->LoadState(in, mixture_.Sample(pair.draw.family, pair.draw.seed));
    pair.minus->LoadState(in, mixture_.Sample(pair.draw.family, pair.draw.seed));
  }
  iteration_ = static_cast<int>(iteration);
  estimates_ = estimates;
  meta_params_ = std::move(params);
}

}  // namespace mnemo
