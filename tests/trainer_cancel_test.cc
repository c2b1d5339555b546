// Tests of Trainer::Cancel: a run stopped in the middle of an iteration (its
// training rollouts or its evaluation) keeps its last finished iteration and
// resumes to exactly the numbers of a run that was never stopped.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/lib/training/train_config.h"
#include "apps/lib/training/trainer.h"
#include "policies/policy.h"
#include "tests/run_folder_files.h"
#include "tests/test_files.h"

using namespace mnemo;
using mnemo::testing::CheckSameRunFiles;
using mnemo::testing::RowsWithoutWallTime;
using mnemo::testing::Slurp;
using mnemo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Actions taken so far by every CountingPolicy of this program.
std::atomic<long long> actions_taken{0};
// The trainer to cancel, and the action count at which to cancel it.
std::atomic<Trainer*> trainer_to_cancel{nullptr};
std::atomic<long long> cancel_at_action{-1};

// The linear policy, counting its actions and cancelling `trainer_to_cancel`
// at action `cancel_at_action`: a cancel at an exact point of an iteration.
class CountingPolicy : public Policy {
 public:
  // Wraps a linear policy for `spec`.
  explicit CountingPolicy(const PolicySpec& spec)
      : Policy(spec),
        linear_(MakePolicy(
            {"linear", spec.obs_dim, spec.act_dim, spec.action_low, spec.action_high, {}})) {
    layout_ = linear_->Layout();
  }
  // The linear policy's action; counts it and cancels at the chosen count.
  void Act(const double* theta, const double* obs, double* action, double* scratch) const override {
    linear_->Act(theta, obs, action, scratch);
    if (++actions_taken == cancel_at_action) trainer_to_cancel.load()->Cancel();
  }

 private:
  std::unique_ptr<Policy> linear_;  // does the work
};

// The shipped policies and the counting one.
const PolicyRegistry& TestPolicies() {
  static const PolicyRegistry registry =
      Policies().With({{"counting_linear", "linear, counting its actions (tests)",
                        [](const PolicySpec& s) { return std::make_unique<CountingPolicy>(s); }}});
  return registry;
}

// A small HalfCheetah ARS run: 8 episodes of 100 steps per iteration (they
// never end early), and 2 evaluation episodes every second iteration.
const char* kConfig = R"(
task:
  name: HalfCheetah
  max_episode_steps: 100
policy:
  kind: counting_linear
search:
  type: ars
  directions: 4
  top_directions: 2
  sigma: 0.03
optimizer:
  type: adam
  lr: 0.01
train:
  seed: 5
  threads: 2
  max_iterations: 6
  eval_every: 2
  eval_episodes: 2
  checkpoint_every: 2
)";

}  // namespace

TEST_CASE("a run cancelled mid-iteration keeps its last finished one and resumes exactly") {
  const std::string dir = TempDir("cancel");
  const TrainConfig config = ParseTrainConfig(kConfig, "cancel.yaml", TestPolicies());
  // The uninterrupted run, noting the action count at each iteration's end.
  std::vector<long long> actions_at_end = {0};
  actions_taken = 0;
  Trainer(config, dir + "/straight").Run([&](const IterationReport&) {
    actions_at_end.push_back(actions_taken);
  });
  REQUIRE(actions_at_end.size() == 7);
  // Iteration 4: 800 training actions, then 200 evaluation actions.
  REQUIRE(actions_at_end[4] - actions_at_end[3] == 1000);

  // Cancelled in iteration 4's training rollouts, or in its evaluation
  // (after the search step, which the run folder must not keep).
  for (const long long at : {actions_at_end[3] + 400, actions_at_end[4] - 100}) {
    const std::string run = dir + "/cancelled_at_" + std::to_string(at);
    INFO(run);
    {
      Trainer trainer(config, run);
      actions_taken = 0;
      cancel_at_action = at;
      trainer_to_cancel = &trainer;
      const TrainSummary s = trainer.Run();
      cancel_at_action = -1;
      CHECK(s.iterations == 3);
      CHECK(s.episodes == 3 * 8);
      // Stopped within a step per worker of the cancel.
      CHECK(actions_taken <= at + 2);
      // A later Run returns at once, with the same summary.
      CHECK(trainer.Run().iterations == 3);
    }
    // The folder holds iteration 3 and nothing of iteration 4.
    CHECK(RowsWithoutWallTime(Slurp(run + "/metrics.csv")).size() == 1 + 3);
    CHECK(nlohmann::json::parse(Slurp(run + "/summary.json"))["iterations"] == 3);
    CHECK(Trainer::Resume(run, 0, TestPolicies())->Run().iterations == 6);
    CheckSameRunFiles(run, dir + "/straight");
  }

  // Cancelled before its first iteration finished: it resumes from 0.
  const std::string early = dir + "/early";
  {
    Trainer trainer(config, early);
    trainer.Cancel();
    CHECK(trainer.Run().iterations == 0);
  }
  CHECK(fs::exists(early + "/state.bin"));
  CHECK(Trainer::Resume(early, 0, TestPolicies())->Run().iterations == 6);
  CheckSameRunFiles(early, dir + "/straight");
  fs::remove_all(dir);
}
