#include "core/meta/outer/meta_trainer.h"

#include <cmath>
#include <limits>
#include <sstream>

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

// What a rank tells the others about one of its runs after stepping it.
struct RunOutcome {
  double loss = 0.0;           // its loss (RunLoss)
  std::int64_t steps = 0;      // steps it ran this time
  std::int64_t steps_run = 0;  // steps of its unroll run so far
  bool diverged = false;       // whether its task diverged
};

// Collective: every rank's outcomes of the runs [first, second) it owns of
// a RankSlice split of `outcomes`, filled in on every rank.
void ShareOutcomes(RankGroup& ranks, std::vector<RunOutcome>* outcomes) {
  if (ranks.Size() == 1) return;
  const int count = static_cast<int>(outcomes->size());
  const auto [first, second] = RankSlice(count, ranks.Rank(), ranks.Size());
  std::ostringstream mine;
  BinaryWriter out(mine);
  for (int i = first; i < second; ++i) {
    const RunOutcome& o = (*outcomes)[i];
    out.WriteDouble(o.loss);
    out.WriteI64(o.steps);
    out.WriteI64(o.steps_run);
    out.WriteI64(o.diverged ? 1 : 0);
  }
  const std::vector<std::string> parts = ranks.AllGather(mine.str());
  for (int r = 0; r < ranks.Size(); ++r) {
    std::istringstream bytes(parts[r]);
    BinaryReader in(bytes, "run outcomes from rank " + std::to_string(r));
    const auto [begin, end] = RankSlice(count, r, ranks.Size());
    for (int i = begin; i < end; ++i) {
      RunOutcome& o = (*outcomes)[i];
      o.loss = in.ReadDouble();
      o.steps = in.ReadI64();
      o.steps_run = in.ReadI64();
      o.diverged = in.ReadI64() != 0;
    }
    in.ExpectEnd();
  }
}

}  // namespace

MetaTrainer::MetaTrainer(const MetaConfig& config, std::shared_ptr<RankGroup> ranks)
    : config_(config),
      copy_config_(CopyConfig(config)),
      prototype_(MakeLearnedUpdater(copy_config_, *config.updaters)),
      outer_(MakeUpdater(config.outer, *config.updaters)),
      mixture_(config.families, *config.families_registry),
      ranks_(ranks ? std::move(ranks) : SingleProcessGroup()),
      owned_(RankSlice(2 * config.pairs, ranks_->Rank(), ranks_->Size())),
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
  pair.steps_run = 0;
}

void MetaTrainer::ForOwned(std::pair<int, int> slice, const std::function<void(int)>& job) {
  pool_.ParallelFor(slice.second - slice.first, [&](int, int k) { job(slice.first + k); });
}

Vec MetaTrainer::EstimateGradient(MetaIterationReport* report) {
  const int pairs = config_.pairs;
  const int dim = static_cast<int>(meta_params_.size());
  // New unrolls (task sampling is not thread-safe: here, in pair order).
  for (int j = 0; j < pairs; ++j) {
    if (pairs_[j].steps_run >= pairs_[j].draw.length) StartUnroll(pairs_[j], j);
  }
  eps_.resize(dim, pairs);
  const std::uint64_t noise_seed = MixBits(config_.seed ^ kNoiseTag);
  pool_.ParallelFor(pairs, [&](int, int j) {
    Stream rng(noise_seed, estimates_, static_cast<std::uint64_t>(j));
    rng.FillNormal({eps_.col(j).data(), static_cast<std::size_t>(dim)});
    eps_.col(j) *= config_.sigma;
  });
  std::vector<RunOutcome> outcomes(2 * pairs);
  ForOwned(owned_, [&](int i) {
    const int j = i / 2;
    const double sign = i % 2 == 0 ? 1.0 : -1.0;
    InnerRun& run = Particle(i);
    Learned(run).SetMetaParams(meta_params_ + sign * eps_.col(j));
    const std::int64_t before = run.StepsRun();
    RunOutcome& o = outcomes[i];
    o.loss = RunLoss(
        run, config_.objective == MetaObjective::kWholeRun ? run.Length() : config_.truncation);
    o.steps = run.StepsRun() - before;
    o.steps_run = run.StepsRun();
    o.diverged = run.Diverged();
  });
  ShareOutcomes(*ranks_, &outcomes);
  ++estimates_;
  Vec gradient = Vec::Zero(dim);
  MetaIterationReport r;
  const double scale = 1.0 / (2.0 * config_.sigma * config_.sigma * pairs);
  for (int j = 0; j < pairs; ++j) {
    Pair& pair = pairs_[j];
    const RunOutcome& plus = outcomes[2 * j];
    const RunOutcome& minus = outcomes[2 * j + 1];
    pair.steps_run = plus.steps_run;
    pair.accumulator += eps_.col(j);
    const double difference = plus.loss - minus.loss;
    const double shaped =
        config_.sign_differences ? double((difference > 0.0) - (difference < 0.0)) : difference;
    gradient += (scale * shaped) * pair.accumulator;
    r.meta_loss += 0.5 * (plus.loss + minus.loss) / pairs;
    r.inner_steps += plus.steps + minus.steps;
    r.diverged += (plus.diverged ? 1 : 0) + (minus.diverged ? 1 : 0);
    if (pair.steps_run >= pair.draw.length) ++r.unrolls_finished;
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
  if (config_.objective == MetaObjective::kWholeRun) loss += run.Evaluate();
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
  const std::pair<int, int> mine = RankSlice(count, ranks_->Rank(), ranks_->Size());
  std::vector<RunOutcome> outcomes(count);
  for (int k = mine.first; k < mine.second; ++k) {
    eval_runs_[k]->Start(mixture.Sample(draws[k].family, draws[k].seed), draws[k].length);
    Learned(*eval_runs_[k]).SetMetaParams(meta_params_);
  }
  ForOwned(mine, [&](int k) {
    InnerRun& run = *eval_runs_[k];
    outcomes[k].loss = RunLoss(run, run.Length());
    outcomes[k].diverged = run.Diverged();
  });
  ShareOutcomes(*ranks_, &outcomes);
  double mean = 0.0;
  for (int k = 0; k < count; ++k) {
    mean += outcomes[k].loss / count;
    if (outcomes[k].diverged) ++*diverged;
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
  // Each particle's state, from the rank that owns it.
  std::ostringstream mine;
  BinaryWriter own(mine);
  own.WriteU64(static_cast<std::uint64_t>(owned_.second - owned_.first));
  for (int i = owned_.first; i < owned_.second; ++i) {
    std::ostringstream state;
    BinaryWriter particle(state);
    Particle(i).SaveState(particle);
    own.WriteString(state.str());
  }
  std::vector<std::string> states;
  for (const std::string& part : ranks_->AllGather(mine.str())) {
    std::istringstream bytes(part);
    BinaryReader in(bytes, "particle states from another rank");
    const std::uint64_t count = in.ReadU64();
    for (std::uint64_t k = 0; k < count && states.size() <= 2 * pairs_.size(); ++k) {
      states.push_back(in.ReadString());
    }
  }
  if (states.size() != 2 * pairs_.size()) {
    throw Error("meta-training: the ranks sent " + std::to_string(states.size()) +
                " particle states for " + std::to_string(2 * pairs_.size()) + " particles");
  }
  for (std::size_t j = 0; j < pairs_.size(); ++j) {
    const Pair& pair = pairs_[j];
    out.WriteI64(pair.draw.family);
    out.WriteU64(pair.draw.seed);
    out.WriteI64(pair.draw.length);
    out.WriteU64(pair.unrolls);
    out.WriteVec(pair.accumulator);
    out.WriteBytes(states[2 * j]);
    out.WriteBytes(states[2 * j + 1]);
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
    pair.steps_run = pair.plus->StepsRun();
  }
  iteration_ = static_cast<int>(iteration);
  estimates_ = estimates;
  meta_params_ = std::move(params);
}

}  // namespace mnemo
