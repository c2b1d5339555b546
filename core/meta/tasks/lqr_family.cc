// Linear policies on random linear systems with quadratic costs (the LQR
// problem of core/es, as in the ARS paper) searched through ES estimates:
// cheap control with the noise structure of policy search. The loss is the
// policy's mean step cost (positive), normalized as ln(cost / initial cost).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "core/es/gradient_estimator.h"
#include "core/es/lqr_problem.h"
#include "core/meta/tasks/task_family.h"
#include "core/meta/tasks/task_family_list.h"

namespace mnemo {
namespace {

// One LQR policy search from K = 0.
class LqrTask final : public EsTask {
 public:
  // Searches the gain of `spec` with `estimator` (already built); `seed`
  // keys the ES noise.
  LqrTask(const LqrSpec& spec, std::unique_ptr<GradientEstimator> estimator, std::uint64_t seed)
      : problem_(spec), estimator_(std::move(estimator)), seed_(seed) {
    std::snprintf(text_, sizeof text_, "lqr n=%d k=%d rho=%.3g h=%d", spec.state_dim,
                  spec.action_dim, spec.spectral_radius, spec.horizon);
  }

  ParamLayout Layout() const override { return problem_.Layout(); }
  Vec Initial() const override { return Vec::Zero(problem_.Dim()); }
  double Loss(const Vec& theta, std::int64_t /*step*/) override { return problem_.Cost(theta); }
  std::string Describe() const override { return text_; }
  Problem& SearchProblem() override { return problem_; }
  std::unique_ptr<GradientEstimator> TakeEstimator() override { return std::move(estimator_); }
  std::uint64_t NoiseSeed() const override { return seed_; }

 private:
  LqrProblem problem_;
  std::unique_ptr<GradientEstimator> estimator_;  // until the inner run takes it
  std::uint64_t seed_;                            // keys the ES noise
  char text_[80];                                 // for logs
};

// Draws LQR problems.
class LqrFamily final : public TaskFamily {
 public:
  // Keys: states, actions, horizon, episodes, noise, control_cost,
  // spectral_radius (log ranges; actions never exceed states), estimator
  // and step_sizes (EstimatorDraw).
  explicit LqrFamily(const ConfigNode& config) : estimator_(config) {
    AllowFamilyKeys(config, {"states", "actions", "horizon", "episodes", "noise", "control_cost",
                             "spectral_radius", "estimator", "step_sizes"});
    states_ = GetLogRange(config, "states", {2, 8}, 1, 1000);
    actions_ = GetLogRange(config, "actions", {1, 4}, 1, 1000);
    horizon_ = GetLogRange(config, "horizon", {20, 50}, 1, 1e5);
    episodes_ = GetLogRange(config, "episodes", {2, 2}, 1, 1000);
    noise_ = GetLogRange(config, "noise", {0.01, 0.3}, 1e-12, 1e3);
    control_cost_ = GetLogRange(config, "control_cost", {0.01, 1}, 1e-12, 1e6);
    spectral_radius_ = GetLogRange(config, "spectral_radius", {0.9, 1.1}, 1e-3, 10);
  }

  std::string Name() const override { return "lqr"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const override {
    Stream rng(seed, 0, 0);
    LqrSpec spec;
    spec.state_dim = states_.SampleInt(rng);
    spec.action_dim = std::min(actions_.SampleInt(rng), spec.state_dim);
    spec.horizon = horizon_.SampleInt(rng);
    spec.episodes = episodes_.SampleInt(rng);
    spec.noise = noise_.Sample(rng);
    spec.control_cost = control_cost_.Sample(rng);
    spec.spectral_radius = spectral_radius_.Sample(rng);
    spec.seed = MixBits(seed ^ kSpecKey);
    return std::make_unique<LqrTask>(spec, estimator_.Make(rng), MixBits(seed));
  }

 private:
  // Separates the system's draws from the family's.
  static constexpr std::uint64_t kSpecKey = 0x1a9;

  EstimatorDraw estimator_;  // the tasks' estimators
  LogRange states_;
  LogRange actions_;
  LogRange horizon_;
  LogRange episodes_;
  LogRange noise_;
  LogRange control_cost_;
  LogRange spectral_radius_;
};

}  // namespace

TaskFamilyRegistry::Entry LqrFamilyEntry() {
  return {"lqr",
          "linear policies on random linear systems with quadratic costs (LQR) through ES "
          "gradient estimates",
          [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
            return std::make_unique<LqrFamily>(c);
          }};
}

}  // namespace mnemo
