// Noisy quadratics of random conditioning: loss = c |S R (x - x*)|^2 (an
// ellipsoid of random condition number, randomly rotated or not, from the
// synthetic sphere of core/es), optimised from x = 0 through gradients with
// additive Gaussian noise whose size is a random fraction of the first
// gradient's RMS (a noise floor, as in the noisy quadratic model).
#include <cmath>
#include <cstdio>

#include "core/es/synthetic_problem.h"
#include "core/meta/tasks/task_family.h"
#include "core/meta/tasks/task_family_list.h"

namespace mnemo {
namespace {

// Stream index of the gradient noise.
constexpr std::uint64_t kNoiseIndex = 0x9a7;

// One noisy quadratic.
class QuadraticTask final : public GradientTask {
 public:
  // `curvature` multiplies the loss, `noise` is the noise std per coordinate
  // relative to the RMS of the gradient at x = 0.
  QuadraticTask(const SyntheticSpec& spec, double curvature, double noise, double step_scale,
                std::uint64_t seed)
      : problem_(spec), curvature_(curvature), step_scale_(step_scale), seed_(seed) {
    const Vec g0 = curvature_ * problem_.LossGradient(Vec::Zero(spec.dim));
    noise_sd_ = noise * g0.norm() / std::sqrt(static_cast<double>(spec.dim));
    std::snprintf(text_, sizeof text_, "quadratic n=%d cond=%.3g %s noise=%.2g", spec.dim,
                  spec.condition, spec.rotate ? "rot" : "axis", noise);
  }

  ParamLayout Layout() const override { return ParamLayout::Flat(problem_.Dim(), "x"); }
  Vec Initial() const override { return Vec::Zero(problem_.Dim()); }
  double StepScale() const override { return step_scale_; }
  double Observe(const Vec& theta, std::int64_t step, Vec* ascent) override {
    Vec noise(problem_.Dim());
    Stream rng(seed_, static_cast<std::uint64_t>(step), kNoiseIndex);
    rng.FillNormal({noise.data(), static_cast<std::size_t>(noise.size())});
    *ascent = -curvature_ * problem_.LossGradient(theta) + noise_sd_ * noise;
    return curvature_ * problem_.Loss(theta);
  }
  std::string Describe() const override { return text_; }

 private:
  SyntheticProblem problem_;
  double curvature_;
  double step_scale_;
  std::uint64_t seed_;
  double noise_sd_ = 0.0;
  char text_[96];
};

// Draws noisy quadratics.
class QuadraticFamily final : public TaskFamily {
 public:
  // Keys: dims, condition, curvature, noise (log ranges), rotate (the
  // probability of a random rotation), rotate_max_dim (no rotation above:
  // an n x n rotation costs n^2 memory), step_scale (log range).
  explicit QuadraticFamily(const ConfigNode& config) {
    AllowFamilyKeys(config, {"dims", "condition", "curvature", "noise", "rotate", "rotate_max_dim",
                             "step_scale"});
    dims_ = GetLogRange(config, "dims", {10, 100}, 1, 1e5);
    condition_ = GetLogRange(config, "condition", {1, 1e3}, 1, 1e12);
    curvature_ = GetLogRange(config, "curvature", {0.1, 10}, 1e-8, 1e8);
    noise_ = GetLogRange(config, "noise", {0.01, 0.5}, 1e-12, 1e3);
    rotate_ = config.GetDouble("rotate", 0.5, 0.0, 1.0);
    rotate_max_dim_ = static_cast<int>(config.GetInt("rotate_max_dim", 1000, 0, 1 << 20));
    step_scale_ = GetLogRange(config, "step_scale", {0.01, 0.01}, 1e-12, 1e6);
  }

  std::string Name() const override { return "quadratic"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t seed) const override {
    Stream rng(seed, 0, 0);
    SyntheticSpec spec;
    spec.kind = SyntheticKind::kSphere;
    spec.dim = dims_.SampleInt(rng);
    spec.condition = condition_.Sample(rng);
    spec.rotate = rng.Uniform() < rotate_ && spec.dim <= rotate_max_dim_;
    spec.offset = 1.0;
    spec.seed = MixBits(seed);
    const double curvature = curvature_.Sample(rng);
    const double noise = noise_.Sample(rng);
    const double step_scale = step_scale_.Sample(rng);
    return std::make_unique<QuadraticTask>(spec, curvature, noise, step_scale, seed);
  }

 private:
  LogRange dims_;
  LogRange condition_;
  LogRange curvature_;
  LogRange noise_;
  double rotate_ = 0.5;
  int rotate_max_dim_ = 1000;  // no rotation above this dimension
  LogRange step_scale_;
};

}  // namespace

TaskFamilyRegistry::Entry QuadraticFamilyEntry() {
  return {"quadratic", "noisy quadratics of random conditioning (exact gradients + noise)",
          [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
            return std::make_unique<QuadraticFamily>(c);
          }};
}

}  // namespace mnemo
