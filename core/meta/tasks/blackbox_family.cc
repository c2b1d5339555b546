// Blackbox test functions (sphere, Rosenbrock, Rastrigin, Ackley from
// core/es, with random conditioning, rotation and optimum) optimised through
// ES gradient estimates (a GradientEstimator of core/es, ARS by default): the
// learned updater sees the same kind of noisy ascent direction, in the same
// unit (the ES sigma), as in policy search.
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "core/es/gradient_estimator.h"
#include "core/es/synthetic_problem.h"
#include "core/meta/tasks/task_family.h"
#include "core/meta/tasks/task_family_list.h"

namespace mnemo {
namespace {

// One test function under ES.
class BlackboxTask final : public EsTask {
 public:
  // Optimises `spec` from x = 0 with `estimator` (already built);
  // `seed` keys the ES noise.
  BlackboxTask(const SyntheticSpec& spec, std::unique_ptr<GradientEstimator> estimator,
               std::uint64_t seed)
      : problem_(spec), estimator_(std::move(estimator)), seed_(seed) {
    describe_ = SyntheticKindNames()[static_cast<int>(spec.kind)];
    describe_ += " n=";
    describe_ += std::to_string(spec.dim);
    describe_ += spec.rotate ? " rot" : " axis";
  }

  ParamLayout Layout() const override { return problem_.Layout(); }
  Vec Initial() const override { return Vec::Zero(problem_.Dim()); }
  double Loss(const Vec& theta, std::int64_t /*step*/) override { return problem_.Loss(theta); }
  std::string Describe() const override { return describe_; }
  Problem& SearchProblem() override { return problem_; }
  std::unique_ptr<GradientEstimator> TakeEstimator() override { return std::move(estimator_); }
  std::uint64_t NoiseSeed() const override { return seed_; }

 private:
  SyntheticProblem problem_;
  std::unique_ptr<GradientEstimator> estimator_;  // until the inner run takes it
  std::uint64_t seed_;                            // keys the ES noise
  std::string describe_;                          // for logs
};

// Draws test functions.
class BlackboxFamily final : public TaskFamily {
 public:
  // Keys: functions (list), dims, condition (log ranges), rotate (the
  // probability of a random rotation), rotate_max_dim (no rotation above),
  // offset (std of the optimum), estimator and step_sizes (EstimatorDraw).
  explicit BlackboxFamily(const ConfigNode& config) : estimator_(config) {
    AllowFamilyKeys(config, {"functions", "dims", "condition", "rotate", "rotate_max_dim", "offset",
                             "estimator", "step_sizes"});
    for (const std::string& name :
         GetNameList(config, "functions", {"sphere", "rosenbrock", "rastrigin", "ackley"},
                     SyntheticKindNames())) {
      for (std::size_t k = 0; k < SyntheticKindNames().size(); ++k) {
        if (SyntheticKindNames()[k] == name) {
          kinds_.push_back(static_cast<SyntheticKind>(k));
        }
      }
    }
    dims_ = GetLogRange(config, "dims", {10, 100}, 1, 1e5);
    condition_ = GetLogRange(config, "condition", {1, 10}, 1, 1e12);
    rotate_ = config.GetDouble("rotate", 0.5, 0.0, 1.0);
    rotate_max_dim_ = static_cast<int>(config.GetInt("rotate_max_dim", 100, 0, 1 << 20));
    offset_ = config.GetDouble("offset", 1.0, 0.0, 1e6);
  }

  std::string Name() const override { return "blackbox"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const override {
    Stream rng(seed, 0, 0);
    SyntheticSpec spec;
    spec.kind = kinds_[rng.Below(kinds_.size())];
    spec.dim = dims_.SampleInt(rng);
    spec.condition = condition_.Sample(rng);
    spec.rotate = rng.Uniform() < rotate_ && spec.dim <= rotate_max_dim_;
    spec.offset = offset_;
    spec.seed = MixBits(seed);
    return std::make_unique<BlackboxTask>(spec, estimator_.Make(rng), seed);
  }

 private:
  EstimatorDraw estimator_;  // the tasks' estimators
  std::vector<SyntheticKind> kinds_;
  LogRange dims_;
  LogRange condition_;
  double rotate_ = 0.5;
  int rotate_max_dim_ = 100;
  double offset_ = 1.0;
};

}  // namespace

TaskFamilyRegistry::Entry BlackboxFamilyEntry() {
  return {"blackbox",
          "sphere, Rosenbrock, Rastrigin, Ackley (random rotation and conditioning) through ES "
          "gradient estimates",
          [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
            return std::make_unique<BlackboxFamily>(c);
          }};
}

}  // namespace mnemo
