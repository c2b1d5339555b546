#include "envs/policy_search_problem.h"

#include <cmath>

#include "core/util/error.h"

namespace mnemo {
namespace {

// Distinct key spaces for training and evaluation episodes.
constexpr std::uint64_t kTrainEpisodes = 0x7261696eULL;
constexpr std::uint64_t kEvalEpisodes = 0x6576616cULL;

}  // namespace

std::uint64_t EpisodeSeed(std::uint64_t seed, EpisodeKind kind, std::uint64_t batch,
                          std::uint64_t index) {
  const std::uint64_t space = kind == EpisodeKind::kTrain ? kTrainEpisodes : kEvalEpisodes;
  return MixBits(MixBits(MixBits(seed ^ space) ^ batch) ^ index);
}

PolicySearchProblem::PolicySearchProblem(std::shared_ptr<RolloutEngine> engine, bool normalize,
                                         double reward_shift, std::uint64_t seed)
    : engine_(std::move(engine)),
      normalize_(normalize),
      reward_shift_(reward_shift),
      seed_(seed),
      normalizer_(engine_->GetTask().ObsDim()) {}

int PolicySearchProblem::Dim() const { return engine_->GetPolicy().NumParams(); }

ParamLayout PolicySearchProblem::Layout() const { return engine_->GetPolicy().Layout(); }

void PolicySearchProblem::Evaluate(std::span<const Vec> xs, std::span<double> fitness,
                                   EvalStats* stats) {
  std::vector<std::uint64_t> seeds(xs.size());
  for (std::size_t k = 0; k < xs.size(); ++k) {
    seeds[k] = EpisodeSeed(seed_, EpisodeKind::kTrain, batches_, k);
  }
  RolloutOptions options;
  options.normalize = normalize_;
  options.collect_obs_stats = normalize_;
  options.reward_shift = reward_shift_;
  last_batch_ = engine_->Run(xs, seeds, normalizer_, options);
  ++batches_;
  task_returns_.clear();
  if (reward_shift_ != 0.0) {
    for (const RolloutResult& r : last_batch_) task_returns_.push_back(r.total_return);
  }
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const RolloutResult& r = last_batch_[k];
    fitness[k] = r.shifted_return;
    if (stats != nullptr) {
      stats->episodes += 1;
      stats->env_steps += r.length;
      stats->unstable += r.termination == Termination::kUnstable;
    }
    // Candidate order, whatever the thread count: deterministic statistics.
    if (normalize_) normalizer_.Merge(r.obs_stats);
  }
  if (normalize_) normalizer_.Refresh();
}

PolicyEvaluation PolicySearchProblem::EvaluatePolicy(const Vec& theta, int episodes,
                                                     std::uint64_t key) {
  std::vector<Vec> xs(episodes, theta);
  std::vector<std::uint64_t> seeds(episodes);
  for (int k = 0; k < episodes; ++k) seeds[k] = EpisodeSeed(seed_, EpisodeKind::kEval, key, k);
  RolloutOptions options;
  options.normalize = normalize_;
  options.collect_obs_stats = false;
  const auto results = engine_->Run(xs, seeds, normalizer_, options);
  PolicyEvaluation eval;
  for (const auto& r : results) {
    eval.returns.push_back(r.total_return);
    eval.lengths.push_back(r.length);
    eval.env_steps += r.length;
    eval.mean += r.total_return / episodes;
  }
  for (double r : eval.returns) eval.stddev += (r - eval.mean) * (r - eval.mean) / episodes;
  eval.stddev = std::sqrt(eval.stddev);
  return eval;
}

void PolicySearchProblem::SetObservationStats(const RunningStats& stats) {
  if (stats.Dim() != normalizer_.Dim()) {
    throw Error("observation statistics of size " + std::to_string(stats.Dim()) +
                " do not fit task " + engine_->GetTask().Name());
  }
  normalizer_.SetStats(stats);
}

void PolicySearchProblem::SaveState(BinaryWriter& out) const {
  out.WriteU64(batches_);
  const RunningStats& s = normalizer_.Stats();
  out.WriteI64(s.Count());
  out.WriteVec(s.Mean());
  out.WriteVec(s.SquaredDeviations());
}

void PolicySearchProblem::LoadState(BinaryReader& in) {
  batches_ = in.ReadU64();
  const std::int64_t count = in.ReadI64();
  Vec mean = in.ReadVec();
  Vec m2 = in.ReadVec();
  if (mean.size() != m2.size()) throw Error("search state: corrupt normalizer");
  SetObservationStats(RunningStats::FromMoments(count, std::move(mean), std::move(m2)));
}

}  // namespace mnemo
