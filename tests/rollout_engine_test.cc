// Tests of the rollout engine: determinism across thread counts, what a
// rollout reports, cancellation, and bad input.
#include "envs/rollout_engine.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/parallel/cancelled.h"
#include "core/util/error.h"
#include "envs/policy_search_problem.h"
#include "envs/rollout_exchange.h"
#include "tests/test_files.h"

using namespace mnemo;

namespace {

// A batch of small random linear policies for `task`.
std::vector<Vec> RandomParams(const Policy& policy, int count) {
  std::vector<Vec> params(count, Vec(policy.NumParams()));
  for (int i = 0; i < count; ++i) {
    Stream rng(3, 0, i);
    for (int j = 0; j < policy.NumParams(); ++j) params[i][j] = 0.1 * rng.Normal();
  }
  return params;
}

// A zero-action policy that raises a cancel flag at its `cancel_at`-th action
// and counts its actions.
class CancellingPolicy : public Policy {
 public:
  // A policy for `spec` that raises *flag at action number `cancel_at`.
  CancellingPolicy(PolicySpec spec, std::atomic<bool>* flag, int cancel_at)
      : Policy(std::move(spec)), flag_(flag), cancel_at_(cancel_at) {
    layout_.Add("weight", Spec().act_dim, Spec().obs_dim);
  }
  // Zero actions; raises the flag when the count reaches cancel_at.
  void Act(const double*, const double*, double* action, double*) const override {
    std::fill(action, action + Spec().act_dim, 0.0);
    if (++actions == cancel_at_) *flag_ = true;
  }
  mutable std::atomic<int> actions{0};  // Act calls so far

 private:
  std::atomic<bool>* flag_;  // raised at action cancel_at_
  int cancel_at_;            // the action that raises it
};

}  // namespace

TEST_CASE("one thread and two threads give bit-identical rollouts") {
  TaskOptions options;
  options.max_episode_steps = 200;
  auto task = MakeTask("HalfCheetah", options);
  std::shared_ptr<const Policy> policy = MakePolicy(
      {"linear", task->ObsDim(), task->ActDim(), task->ActionLow(), task->ActionHigh(), {}});
  const auto params = RandomParams(*policy, 7);
  const std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5, 6, 7};
  ObservationNormalizer normalizer(task->ObsDim());
  RolloutOptions ro;
  ro.reward_shift = 0.5;

  RolloutEngine one(task, policy, 1);
  RolloutEngine two(task, policy, 2);
  const auto a = one.Run(params, seeds, normalizer, ro);
  const auto b = two.Run(params, seeds, normalizer, ro);
  REQUIRE(a.size() == 7);
  for (int i = 0; i < 7; ++i) {
    CHECK(a[i].total_return == b[i].total_return);
    CHECK(a[i].length == b[i].length);
    CHECK(a[i].term_sums == b[i].term_sums);
    CHECK(a[i].obs_stats.Mean() == b[i].obs_stats.Mean());
    CHECK(a[i].length == 200);
    CHECK(a[i].termination == Termination::kTimeLimit);
    // The shift is subtracted once per step; the terms add up to the return.
    CHECK(a[i].shifted_return == doctest::Approx(a[i].total_return - 0.5 * 200));
    CHECK(a[i].term_sums[0] + a[i].term_sums[1] == doctest::Approx(a[i].total_return));
    CHECK(a[i].obs_stats.Count() == 200);
  }
  // Different policies give different returns.
  CHECK(a[0].total_return != a[1].total_return);
  // Running the same batch again gives the same numbers (workers reuse state).
  const auto c = two.Run(params, seeds, normalizer, ro);
  for (int i = 0; i < 7; ++i) CHECK(c[i].total_return == a[i].total_return);
}

// Rank 0 of a job of 3 whose other ranks are scripted: AllGather answers
// with this rank's bytes and the given messages of ranks 1 and 2.
class ScriptedRanks final : public RankGroup {
 public:
  explicit ScriptedRanks(std::vector<std::string> others) : others_(std::move(others)) {}
  int Rank() const override { return 0; }
  int Size() const override { return 3; }
  std::string Host() const override { return "test"; }
  std::vector<std::string> AllGather(const std::string& bytes) override {
    std::vector<std::string> all = {bytes};
    all.insert(all.end(), others_.begin(), others_.end());
    return all;
  }
  void ShareWork(int, int, const std::function<void(int, int)>&) override {}

 private:
  std::vector<std::string> others_;  // what ranks 1 and 2 send
};

// What a rank that ran the episodes `indices` of `batch` sends.
std::string Message(const std::vector<int>& indices, const std::vector<RolloutResult>& batch) {
  std::vector<RolloutResult> picked;
  for (int i : indices) picked.push_back(batch[i]);
  return EncodeRolloutShare(indices, picked);
}

TEST_CASE("rollout results cross ranks bit for bit and come back in candidate order") {
  TaskOptions options;
  options.max_episode_steps = 60;
  auto task = MakeTask("Hopper", options);
  std::shared_ptr<const Policy> policy = MakePolicy(
      {"linear", task->ObsDim(), task->ActDim(), task->ActionLow(), task->ActionHigh(), {}});
  const auto params = RandomParams(*policy, 7);
  const std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5, 6, 7};
  ObservationNormalizer normalizer(task->ObsDim());
  RolloutEngine engine(task, policy, 1);
  const auto batch = engine.Run(params, seeds, normalizer, RolloutOptions{});

  // Encoding keeps every bit, the observation statistics included.
  const auto decoded = DecodeRolloutResults(EncodeRolloutResults(batch));
  REQUIRE(decoded.size() == batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CHECK(decoded[i].total_return == batch[i].total_return);
    CHECK(decoded[i].shifted_return == batch[i].shifted_return);
    CHECK(decoded[i].length == batch[i].length);
    CHECK(decoded[i].term_sums == batch[i].term_sums);
    CHECK(decoded[i].termination == batch[i].termination);
    CHECK(decoded[i].obs_stats.Count() == batch[i].obs_stats.Count());
    CHECK(decoded[i].obs_stats.Mean() == batch[i].obs_stats.Mean());
    CHECK(decoded[i].obs_stats.SquaredDeviations() == batch[i].obs_stats.SquaredDeviations());
  }

  // Episodes handed out in any order come back in candidate order.
  const std::vector<int> mine = {5, 0};
  std::vector<RolloutResult> my_results = {batch[5], batch[0]};
  ScriptedRanks ranks({Message({2, 6, 1}, batch), Message({3, 4}, batch)});
  const auto all = GatherRolloutResults(ranks, 7, mine, my_results);
  REQUIRE(all.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(all[i].total_return == batch[i].total_return);

  // An episode run twice, or one run by nobody, is an Error.
  ScriptedRanks twice({Message({2, 6, 1}, batch), Message({3, 4, 5}, batch)});
  CHECK_THROWS_WITH_AS(GatherRolloutResults(twice, 7, mine, my_results),
                       doctest::Contains("already run elsewhere"), Error);
  ScriptedRanks missing({Message({2, 6}, batch), Message({3, 4}, batch)});
  CHECK_THROWS_WITH_AS(GatherRolloutResults(missing, 7, mine, my_results),
                       doctest::Contains("6 of a batch's 7"), Error);
}

TEST_CASE("episodes whose simulation blows up end early, counted, and never crash") {
  // HalfCheetah with absurd gears: full actions accelerate it past what the
  // integrator can follow.
  const std::string dir = mnemo::testing::TempDir("unstable");
  const std::string asset =
      mnemo::testing::Slurp(std::string(MNEMO_SOURCE_DIR) + "/envs/assets/half_cheetah.xml");
  std::ofstream(dir + "/exploding.xml")
      << std::regex_replace(asset, std::regex("gear=\"[0-9.]+\""), "gear=\"1e12\"");
  TaskOptions options;
  options.xml_path = dir + "/exploding.xml";
  options.max_episode_steps = 300;
  auto task = MakeTask("HalfCheetah", options);
  std::shared_ptr<const Policy> policy = MakePolicy(
      {"linear", task->ObsDim(), task->ActDim(), task->ActionLow(), task->ActionHigh(), {}});
  std::vector<Vec> params = RandomParams(*policy, 4);
  for (Vec& p : params) p *= 100.0;  // saturated actions
  const std::vector<std::uint64_t> seeds = {1, 2, 3, 4};
  ObservationNormalizer normalizer(task->ObsDim());
  RolloutEngine engine(task, policy, 2);
  std::filesystem::remove("MUJOCO_LOG.TXT");
  const auto results = engine.Run(params, seeds, normalizer, {});
  // MuJoCo's own warnings go to the debug log: not printed per episode, and
  // no MUJOCO_LOG.TXT left in the working directory.
  CHECK_FALSE(std::filesystem::exists("MUJOCO_LOG.TXT"));
  for (const auto& r : results) {
    CHECK(r.termination == Termination::kUnstable);
    CHECK(r.length < 300);
    CHECK(std::isfinite(r.total_return));
  }
  CHECK(engine.UnstableEpisodes() == 4);
  engine.Run(params, seeds, normalizer, {});
  CHECK(engine.UnstableEpisodes() == 8);  // counted over all batches
  std::filesystem::remove_all(dir);
}

TEST_CASE("a raised cancel flag ends the batch within one step and throws Cancelled") {
  TaskOptions options;
  options.max_episode_steps = 100;
  auto task = MakeTask("HalfCheetah", options);
  const PolicySpec spec{"linear",          task->ObsDim(),     task->ActDim(),
                        task->ActionLow(), task->ActionHigh(), {}};
  std::atomic<bool> cancel{false};
  // Raised in the middle of the third of five episodes, on one worker.
  auto policy = std::make_shared<CancellingPolicy>(spec, &cancel, 250);
  RolloutEngine engine(task, policy, 1);
  engine.SetCancelFlag(&cancel);
  const std::vector<Vec> params(5, Vec::Zero(policy->NumParams()));
  const std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5};
  ObservationNormalizer normalizer(task->ObsDim());
  CHECK_THROWS_AS(engine.Run(params, seeds, normalizer, {}), Cancelled);
  // No step after the one that raised it, in this episode or a later one.
  CHECK(policy->actions == 250);
  // While raised, a batch runs no step at all.
  CHECK_THROWS_AS(engine.Run(params, seeds, normalizer, {}), Cancelled);
  CHECK(policy->actions == 250);
  // Lowered, the engine runs whole batches again, with the same numbers as
  // an engine that never had a flag.
  cancel = false;
  policy->actions = -1000000;  // never reaches 250 again
  const auto after = engine.Run(params, seeds, normalizer, {});
  RolloutEngine plain(task, policy, 1);
  const auto expected = plain.Run(params, seeds, normalizer, {});
  REQUIRE(after.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(after[i].length == 100);
    CHECK(after[i].total_return == expected[i].total_return);
  }
}

TEST_CASE("a policy of the wrong size is refused") {
  auto task = MakeTask("HalfCheetah");
  std::shared_ptr<const Policy> policy =
      MakePolicy({"linear", 5, 2, Vec::Ones(2) * -1, Vec::Ones(2), {}});
  CHECK_THROWS_WITH_AS(RolloutEngine(task, policy, 1), doctest::Contains("do not fit"), Error);
}

TEST_CASE("mnemo rollout-bench reports rates, the schedule's speed-up bound and determinism") {
  const std::string dir = mnemo::testing::TempDir("rollout_bench");
  const std::string out = dir + "/out.json";
  REQUIRE(mnemo::testing::Shell(std::string(MNEMO_BINARY_DIR) +
                                "/mnemo rollout-bench --task Hopper --threads 2 --seconds 0.2 "
                                "--json > " +
                                out) == 0);
  const auto report = nlohmann::json::parse(mnemo::testing::Slurp(out));
  REQUIRE(report.size() == 1);
  const auto& hopper = report[0];
  CHECK(hopper["task"] == "Hopper");
  CHECK(hopper["identical_returns_1_vs_n"] == true);
  CHECK(hopper["raw_mj_steps_per_s"].get<double>() > 0);
  CHECK(hopper["engine_n_threads_env_steps_per_s"].get<double>() > 0);
  // The bound is the list schedule of the batch's episodes (each free
  // thread takes the next one), recomputed here by hand.
  const std::vector<int> lengths = hopper["episode_lengths"].get<std::vector<int>>();
  REQUIRE(lengths.size() == 8);  // 4 episodes per thread
  double busy[2] = {0, 0}, total = 0;
  for (int length : lengths) {
    CHECK(length > 0);
    (busy[0] <= busy[1] ? busy[0] : busy[1]) += length;
    total += length;
  }
  CHECK(hopper["episode_length_mean"].get<double>() == doctest::Approx(total / 8));
  CHECK(hopper["speedup_bound"].get<double>() ==
        doctest::Approx(total / std::max(busy[0], busy[1])));
  CHECK(hopper["speedup_bound"].get<double>() <= 2.0 + 1e-12);
  CHECK(hopper["speedup_bound"].get<double>() >= 1.0);
}

TEST_CASE("an unknown task lists the known ones") {
  try {
    MakeTask("Cheetah3000");
    FAIL("unknown task accepted");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK(msg.find("Cheetah3000") != std::string::npos);
    CHECK(msg.find("HalfCheetah") != std::string::npos);
  }
}

TEST_CASE("policy search keeps the unshifted returns beside ARS's shifted fitness") {
  TaskOptions options;
  options.max_episode_steps = 100;
  auto task = MakeTask("Hopper", options);
  std::shared_ptr<const Policy> policy = MakePolicy(
      {"linear", task->ObsDim(), task->ActDim(), task->ActionLow(), task->ActionHigh(), {}});
  const auto params = RandomParams(*policy, 4);
  for (double shift : {0.0, 1.0}) {
    CAPTURE(shift);
    PolicySearchProblem problem(std::make_shared<RolloutEngine>(task, policy, 1), true, shift, 5);
    std::vector<double> fitness(params.size());
    problem.Evaluate(params, fitness, nullptr);
    const auto task_returns = problem.LastTaskReturns();
    if (shift == 0.0) {
      // The fitness is the return itself.
      CHECK(task_returns.empty());
      continue;
    }
    REQUIRE(task_returns.size() == params.size());
    for (std::size_t k = 0; k < params.size(); ++k) {
      const RolloutResult& r = problem.LastBatch()[k];
      CHECK(task_returns[k] == r.total_return);
      CHECK(fitness[k] == doctest::Approx(r.total_return - shift * r.length));
    }
  }
}
