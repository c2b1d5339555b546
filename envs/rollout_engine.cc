#include "envs/rollout_engine.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/parallel/cancelled.h"
#include "core/util/error.h"
#include "envs/rollout_exchange.h"

namespace mnemo {

RolloutEngine::Workspace::Workspace(std::shared_ptr<const Task> task) : env(std::move(task)) {}

RolloutEngine::RolloutEngine(std::shared_ptr<const Task> task, std::shared_ptr<const Policy> policy,
                             int threads)
    : task_(std::move(task)),
      policy_(std::move(policy)),
      pool_(threads),
      ranks_(SingleProcessGroup()) {
  const PolicySpec& spec = policy_->Spec();
  if (spec.obs_dim != task_->ObsDim() || spec.act_dim != task_->ActDim()) {
    throw Error("policy sizes (obs " + std::to_string(spec.obs_dim) + ", act " +
                std::to_string(spec.act_dim) + ") do not fit task " + task_->Name() + " (obs " +
                std::to_string(task_->ObsDim()) + ", act " + std::to_string(task_->ActDim()) + ")");
  }
  for (int w = 0; w < pool_.Size(); ++w) {
    auto ws = std::make_unique<Workspace>(task_);
    ws->obs.resize(task_->ObsDim());
    ws->normalized.resize(task_->ObsDim());
    ws->action.resize(task_->ActDim());
    ws->scratch.resize(std::max(1, policy_->ScratchSize()));
    workspaces_.push_back(std::move(ws));
  }
}

RolloutResult RolloutEngine::RunEpisode(Workspace& ws, const Vec& params,
                                        std::uint64_t episode_seed,
                                        const ObservationNormalizer& normalizer,
                                        const RolloutOptions& options) const {
  RolloutResult result;
  if (options.collect_obs_stats) result.obs_stats = RunningStats(task_->ObsDim());
  const int max_steps =
      options.max_steps >= 0 ? options.max_steps : task_->Options().max_episode_steps;
  const int num_terms = static_cast<int>(task_->Spec().reward_terms.size());
  Stream rng(episode_seed);
  ws.env.Reset(rng, ws.obs.data());
  for (int t = 0; t < max_steps && !CancelRequested(); ++t) {
    if (options.collect_obs_stats) {
      result.obs_stats.Push({ws.obs.data(), static_cast<std::size_t>(ws.obs.size())});
    }
    const double* policy_input = ws.obs.data();
    if (options.normalize) {
      normalizer.Normalize(ws.obs.data(), ws.normalized.data());
      policy_input = ws.normalized.data();
    }
    policy_->Act(params.data(), policy_input, ws.action.data(), ws.scratch.data());
    const StepResult step = ws.env.Step(ws.action.data(), ws.obs.data());
    ++result.length;
    if (step.unstable) {
      result.termination = Termination::kUnstable;
      break;
    }
    result.total_return += step.reward;
    result.shifted_return += step.reward - options.reward_shift;
    for (int k = 0; k < num_terms; ++k) result.term_sums[k] += step.terms[k];
    if (step.terminated) {
      result.termination = Termination::kUnhealthy;
      break;
    }
  }
  return result;
}

std::vector<RolloutResult> RolloutEngine::Run(std::span<const Vec> params,
                                              std::span<const std::uint64_t> episode_seeds,
                                              const ObservationNormalizer& normalizer,
                                              const RolloutOptions& options) {
  if (params.size() != episode_seeds.size()) {
    throw std::invalid_argument("RolloutEngine::Run: one episode seed per parameter vector");
  }
  for (const Vec& p : params) {
    if (p.size() != policy_->NumParams()) {
      throw std::invalid_argument("RolloutEngine::Run: parameter vector of wrong size");
    }
  }
  const int count = static_cast<int>(params.size());
  // The episodes this process runs: all of them alone, else as many chunks
  // (one episode per thread) as it asks the job for.
  std::vector<int> indices;
  std::vector<RolloutResult> mine;
  ranks_->ShareWork(count, pool_.Size(), [&](int begin, int end) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t first = mine.size();
    mine.resize(first + (end - begin));
    pool_.ParallelFor(end - begin, [&](int worker, int i) {
      mine[first + i] = RunEpisode(*workspaces_[worker], params[begin + i],
                                   episode_seeds[begin + i], normalizer, options);
    });
    for (int i = begin; i < end; ++i) indices.push_back(i);
    load_.busy_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  // Cut-short episodes are not results: the batch is abandoned.
  if (CancelRequested()) throw Cancelled();
  load_.episodes += static_cast<std::int64_t>(mine.size());
  for (const RolloutResult& r : mine) load_.env_steps += r.length;
  std::vector<RolloutResult> results =
      ranks_->Size() == 1 ? std::move(mine) : GatherRolloutResults(*ranks_, count, indices, mine);
  std::int64_t unstable = 0;
  for (const auto& r : results) unstable += r.termination == Termination::kUnstable;
  if (unstable > 0) {
    // Warn on the first occurrence only; later ones are counted, not shouted.
    if (unstable_episodes_ == 0 && ranks_->IsLeader()) {
      spdlog::warn(
          "{}: {} of {} episodes ended early: the simulation went unstable "
          "(counted in the statistics; further cases are not logged)",
          task_->Name(), unstable, results.size());
    }
    unstable_episodes_ += unstable;
  }
  return results;
}

}  // namespace mnemo
