// Short-horizon locomotion policy search as a meta-training task family:
// a linear policy (normalized observations, ARS V2) on one of the MuJoCo
// tasks, episodes cut to a short horizon, optimised through an ES gradient
// estimate (ARS by default) with the learned updater's step in units of the
// ES sigma, as in `mnemo train`. It registers into the task-family registry
// of core/meta, which itself knows no MuJoCo.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "apps/lib/meta/task_family_list.h"
#include "core/es/gradient_estimator.h"
#include "core/meta/tasks/task_family.h"
#include "envs/policy_search_problem.h"
#include "envs/task.h"
#include "envs/task_list.h"
#include "policies/policy.h"

namespace mnemo {
namespace {

// Return per 1000 steps that counts as one unit of normalized loss, and the
// per-step reward shift of training returns (ARS), per task.
struct LocomotionScale {
  double return_per_1000 = 1000.0;
  double reward_shift = 0.0;
};

// Defaults near each task's ARS threshold.
LocomotionScale ScaleOf(const std::string& task) {
  static const std::map<std::string, LocomotionScale> scales = {
      {"Swimmer", {350.0, 0.0}},   {"Hopper", {3000.0, 1.0}}, {"HalfCheetah", {3000.0, 0.0}},
      {"Walker2d", {4000.0, 1.0}}, {"Ant", {3500.0, 1.0}},    {"Humanoid", {5000.0, 5.0}}};
  auto it = scales.find(task);
  return it == scales.end() ? LocomotionScale{} : it->second;
}

// Stream key of the evaluation episode of the center.
constexpr std::uint64_t kCenterKey = 0xce7e;

// One policy search of a short horizon.
class LocomotionTask final : public EsTask {
 public:
  // Searches `task`'s linear policy with `estimator`; `seed` keys the
  // episodes and the ES noise; `return_scale` is one unit of normalized loss.
  LocomotionTask(std::shared_ptr<const Task> task, std::unique_ptr<GradientEstimator> estimator,
                 double reward_shift, double return_scale, int horizon, std::uint64_t seed)
      : estimator_(std::move(estimator)), seed_(seed), return_scale_(return_scale) {
    PolicySpec spec{"linear",          task->ObsDim(),     task->ActDim(),
                    task->ActionLow(), task->ActionHigh(), {}};
    std::shared_ptr<const Policy> policy = MakePolicy(spec);
    auto engine = std::make_shared<RolloutEngine>(task, policy, 1);
    problem_ = std::make_unique<PolicySearchProblem>(engine, true, reward_shift, seed);
    describe_ = task->Name();
    describe_ += " h=";
    describe_ += std::to_string(horizon);
  }

  ParamLayout Layout() const override { return problem_->Layout(); }
  Vec Initial() const override { return Vec::Zero(problem_->Dim()); }
  // Minus the return of one episode of the policy theta itself.
  double Loss(const Vec& theta, std::int64_t step) override {
    const auto key = static_cast<std::uint64_t>(step);
    return -problem_->EvaluatePolicy(theta, 1, MixBits(kCenterKey ^ key)).mean;
  }
  // (loss - initial) / return_scale: minus the return gained, in units of
  // the task's scale, clipped to the range of LogLossRatio.
  double Normalize(double loss, double initial) const override {
    if (!std::isfinite(loss)) return MaxNormalizedLoss();
    return std::clamp((loss - initial) / return_scale_, std::log(kMinLossRatio),
                      MaxNormalizedLoss());
  }
  std::string Describe() const override { return describe_; }
  Problem& SearchProblem() override { return *problem_; }
  std::unique_ptr<GradientEstimator> TakeEstimator() override { return std::move(estimator_); }
  std::uint64_t NoiseSeed() const override { return seed_; }
  void SaveState(BinaryWriter& out) const override { problem_->SaveState(out); }
  void LoadState(BinaryReader& in) override { problem_->LoadState(in); }

 private:
  std::unique_ptr<PolicySearchProblem> problem_;
  std::unique_ptr<GradientEstimator> estimator_;  // until the inner run takes it
  std::uint64_t seed_;                            // keys the episodes and the ES noise
  double return_scale_;                           // one unit of normalized loss
  std::string describe_;                          // for logs
};

// Draws locomotion searches.
class LocomotionFamily final : public TaskFamily {
 public:
  // Keys: tasks (list of task names), horizon (log range of episode
  // lengths), estimator and step_sizes (EstimatorDraw).
  explicit LocomotionFamily(const ConfigNode& config) : estimator_(config) {
    AllowFamilyKeys(config, {"tasks", "horizon", "estimator", "step_sizes"});
    std::vector<std::string> known;
    for (const auto& entry : Tasks().Entries()) {
      known.push_back(entry.name);
    }
    tasks_ = GetNameList(config, "tasks", {"Swimmer", "Hopper", "HalfCheetah"}, known);
    horizon_ = GetLogRange(config, "horizon", {100, 300}, 1, 100000);
  }

  std::string Name() const override { return "locomotion"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const override {
    Stream rng(seed, 0, 0);
    const std::string& name = tasks_[rng.Below(tasks_.size())];
    const int horizon = horizon_.SampleInt(rng);
    std::shared_ptr<const Task>& task = cache_[{name, horizon}];
    if (!task) {
      TaskOptions options;
      options.max_episode_steps = horizon;
      task = MakeTask(name, options);
    }
    const LocomotionScale scale = ScaleOf(name);
    return std::make_unique<LocomotionTask>(task, estimator_.Make(rng), scale.reward_shift,
                                            scale.return_per_1000 * horizon / 1000.0, horizon,
                                            seed);
  }

 private:
  EstimatorDraw estimator_;  // the tasks' estimators
  std::vector<std::string> tasks_;
  LogRange horizon_;
  // Models by (task, horizon), shared by the draws (Sample is not called
  // from two threads at once).
  mutable std::map<std::pair<std::string, int>, std::shared_ptr<const Task>> cache_;
};

}  // namespace

TaskFamilyRegistry::Entry LocomotionFamilyEntry() {
  return {"locomotion", "short-horizon MuJoCo policy search (linear policy, ES estimates)",
          [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
            return std::make_unique<LocomotionFamily>(c);
          }};
}

}  // namespace mnemo
