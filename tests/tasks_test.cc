// Checks every registered task against the Gymnasium v5 facts and the rules
// every task must keep: sizes, seeded resets, reward terms, forward reward,
// and long random rollouts that stay finite.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "envs/env.h"
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

// Published facts of one v5 task.
struct V5Facts {
  int obs_dim;              // default observation size
  int act_dim;              // number of actuators
  double forward_weight;    // forward_reward_weight
  double solved_threshold;  // ARS paper's threshold
};

// The v5 table (Gymnasium defaults; thresholds from Mania et al. 2018).
const std::map<std::string, V5Facts>& V5Table() {
  static const std::map<std::string, V5Facts> table = {
      {"Swimmer", {8, 2, 1.0, 325}},       {"Hopper", {11, 3, 1.0, 3120}},
      {"HalfCheetah", {17, 6, 1.0, 3430}}, {"Walker2d", {17, 6, 1.0, 4390}},
      {"Ant", {105, 8, 1.0, 3580}},        {"Humanoid", {348, 17, 1.25, 6000}},
  };
  return table;
}

// Every registered task, built with default options.
std::vector<std::shared_ptr<const Task>> AllTasks() {
  std::vector<std::shared_ptr<const Task>> tasks;
  for (const auto& entry : Tasks().Entries()) {
    tasks.push_back(MakeTask(entry.name));
  }
  return tasks;
}

// A uniform random action inside the task's control range.
std::vector<double> RandomAction(const Task& task, Stream& rng) {
  std::vector<double> action(task.ActDim());
  for (int i = 0; i < task.ActDim(); ++i) {
    action[i] = rng.Uniform(task.ActionLow()[i], task.ActionHigh()[i]);
  }
  return action;
}

// Whether all numbers are finite.
bool AllFinite(const std::vector<double>& x) {
  for (double v : x) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

TEST_CASE("the registry holds the six v5 locomotion tasks of this project") {
  for (const char* name : {"Swimmer", "Hopper", "HalfCheetah", "Walker2d", "Ant", "Humanoid"}) {
    CHECK_MESSAGE(Tasks().Has(name), name);
  }
}

TEST_CASE("every task has the v5 observation and action sizes") {
  for (const auto& task : AllTasks()) {
    INFO("task ", task->Name());
    CHECK(task->ObsDim() > 0);
    CHECK(task->ActDim() > 0);
    CHECK(task->Dt() > 0);
    for (int i = 0; i < task->ActDim(); ++i) {
      CHECK(task->ActionLow()[i] < task->ActionHigh()[i]);
    }
    const auto it = V5Table().find(task->Name());
    if (it == V5Table().end()) continue;  // not a v5 task: no table row
    CHECK(task->ObsDim() == it->second.obs_dim);
    CHECK(task->ActDim() == it->second.act_dim);
    CHECK(task->Spec().solved_threshold == it->second.solved_threshold);
  }
}

TEST_CASE("every task names its reward terms once each") {
  for (const auto& task : AllTasks()) {
    INFO("task ", task->Name());
    const auto& names = task->Spec().reward_terms;
    REQUIRE(!names.empty());
    CHECK(names.size() <= static_cast<size_t>(kMaxRewardTerms));
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
    CHECK(std::count(names.begin(), names.end(), "forward") == 1);
  }
}

TEST_CASE("a reset depends only on the stream key") {
  for (const auto& task : AllTasks()) {
    INFO("task ", task->Name());
    const int n = task->ObsDim();
    Env env(task);
    std::vector<double> first(n), again(n), other(n), next1(n), next2(n);
    Stream a(7, 1, 2);
    env.Reset(a, first.data());

    // Step away, then reset with the same key: the same start.
    Stream actions(99);
    for (int s = 0; s < 5; ++s) env.Step(RandomAction(*task, actions).data(), next1.data());
    Stream b(7, 1, 2);
    env.Reset(b, again.data());
    CHECK(again == first);

    // A second Env with the same key follows the same trajectory.
    Env twin(task);
    Stream c(7, 1, 2);
    twin.Reset(c, next2.data());
    CHECK(next2 == first);
    const std::vector<double> action = RandomAction(*task, actions);
    env.Step(action.data(), next1.data());
    twin.Step(action.data(), next2.data());
    CHECK(next1 == next2);

    // Another key: another start.
    Stream d(7, 1, 3);
    env.Reset(d, other.data());
    CHECK(other != first);
  }
}

TEST_CASE("the reward terms sum to the reward, and forward is weight * dx / dt") {
  for (const auto& task : AllTasks()) {
    INFO("task ", task->Name());
    const auto& names = task->Spec().reward_terms;
    const int forward =
        static_cast<int>(std::find(names.begin(), names.end(), "forward") - names.begin());
    REQUIRE(forward < static_cast<int>(names.size()));
    const auto row = V5Table().find(task->Name());
    const double weight = row == V5Table().end() ? 1.0 : row->second.forward_weight;

    Env env(task);
    std::vector<double> obs(task->ObsDim());
    Stream rng(11);
    env.Reset(rng, obs.data());
    int checked = 0;
    double moved = 0;
    for (int s = 0; s < 50; ++s) {
      const std::vector<double> action = RandomAction(*task, rng);
      const Eigen::Vector2d before = task->TrackedPosition(env.Data());
      const StepResult r = env.Step(action.data(), obs.data());
      REQUIRE_FALSE(r.unstable);
      const Eigen::Vector2d after = task->TrackedPosition(env.Data());

      double sum = 0;
      for (size_t i = 0; i < names.size(); ++i) sum += r.terms[i];
      for (size_t i = names.size(); i < r.terms.size(); ++i) CHECK(r.terms[i] == 0);
      CHECK(r.reward == doctest::Approx(sum).epsilon(1e-12));

      const double expected = weight * (after.x() - before.x()) / task->Dt();
      CHECK(r.terms[forward] == doctest::Approx(expected).epsilon(1e-9));
      moved += std::abs(after.x() - before.x());
      ++checked;
      if (r.terminated) env.Reset(rng, obs.data());
    }
    CHECK(checked == 50);
    CHECK(moved > 0);  // the check above compared real motion, not zeros
  }
}

TEST_CASE("1000 steps of random actions stay finite and stable") {
  for (const auto& task : AllTasks()) {
    INFO("task ", task->Name());
    Env env(task);
    std::vector<double> obs(task->ObsDim());
    Stream rng(5);
    env.Reset(rng, obs.data());
    REQUIRE(AllFinite(obs));
    int unstable = 0;
    int nonfinite = 0;
    for (int s = 0; s < 1000; ++s) {
      const StepResult r = env.Step(RandomAction(*task, rng).data(), obs.data());
      if (r.unstable) ++unstable;
      if (!AllFinite(obs) || !std::isfinite(r.reward)) ++nonfinite;
      if (r.terminated || r.unstable || env.TimeUp()) env.Reset(rng, obs.data());
    }
    CHECK(unstable == 0);
    CHECK(nonfinite == 0);
  }
}

TEST_CASE("the control cost is on the action as given, and MuJoCo clamps the control") {
  // HalfCheetah: ctrl_cost = -0.1 |a|^2 (v5), six actuators with range [-1, 1].
  const auto task = MakeTask("HalfCheetah");
  Env outside(task);
  Env inside(task);
  std::vector<double> obs_outside(task->ObsDim()), obs_inside(task->ObsDim());
  Stream rng_outside(4), rng_inside(4);
  outside.Reset(rng_outside, obs_outside.data());
  inside.Reset(rng_inside, obs_inside.data());
  // 2.5 and -3 are outside the range; MuJoCo applies 1 and -1.
  const std::vector<double> big = {2.5, -3.0, 0.5, 0.0, -0.25, 1.0};
  const std::vector<double> clamped = {1.0, -1.0, 0.5, 0.0, -0.25, 1.0};
  for (int t = 0; t < 5; ++t) {
    const StepResult a = outside.Step(big.data(), obs_outside.data());
    const StepResult b = inside.Step(clamped.data(), obs_inside.data());
    // The same motion: the forward terms and observations agree.
    CHECK(obs_outside == obs_inside);
    CHECK(a.terms[0] == b.terms[0]);
    // By hand: 0.1 * (6.25 + 9 + 0.25 + 0 + 0.0625 + 1) = 1.65625, against
    // 0.1 * (1 + 1 + 0.25 + 0 + 0.0625 + 1) = 0.33125 for the clamped action.
    CHECK(a.terms[1] == doctest::Approx(-1.65625).epsilon(1e-14));
    CHECK(b.terms[1] == doctest::Approx(-0.33125).epsilon(1e-14));
    CHECK(a.reward == doctest::Approx(b.reward - (1.65625 - 0.33125)).epsilon(1e-12));
  }
}

}  // namespace
}  // namespace mnemo
