#include "core/es/synthetic_problem.h"

#include <cmath>
#include <numbers>

#include "core/math/random_orthogonal.h"
#include "core/math/random_stream.h"

namespace mnemo {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
// Ackley's constants a, b (c is 2 pi).
constexpr double kAckleyA = 20.0;
constexpr double kAckleyB = 0.2;

// f(z) of each kind.
double BaseLoss(SyntheticKind kind, const Vec& z) {
  const int n = static_cast<int>(z.size());
  switch (kind) {
    case SyntheticKind::kSphere:
      return z.squaredNorm();
    case SyntheticKind::kRosenbrock: {
      // The classic function of u = z + 1, so the minimum sits at z = 0.
      double sum = 0.0;
      for (int i = 0; i + 1 < n; ++i) {
        const double u = z[i] + 1.0;
        const double next = z[i + 1] + 1.0;
        sum += 100.0 * (next - u * u) * (next - u * u) + (1.0 - u) * (1.0 - u);
      }
      return sum;
    }
    case SyntheticKind::kRastrigin: {
      double sum = 10.0 * n;
      for (int i = 0; i < n; ++i) {
        sum += z[i] * z[i] - 10.0 * std::cos(kTwoPi * z[i]);
      }
      return sum;
    }
    case SyntheticKind::kAckley: {
      const double rms = std::sqrt(z.squaredNorm() / n);
      const double mean_cos = z.unaryExpr([](double v) { return std::cos(kTwoPi * v); }).mean();
      return -kAckleyA * std::exp(-kAckleyB * rms) - std::exp(mean_cos) + kAckleyA +
             std::numbers::e;
    }
    case SyntheticKind::kLinear:
      return z.sum();
  }
  return 0.0;
}

// df/dz of each kind.
Vec BaseGradient(SyntheticKind kind, const Vec& z) {
  const int n = static_cast<int>(z.size());
  Vec g = Vec::Zero(n);
  switch (kind) {
    case SyntheticKind::kSphere:
      g = 2.0 * z;
      break;
    case SyntheticKind::kRosenbrock:
      for (int i = 0; i + 1 < n; ++i) {
        const double u = z[i] + 1.0;
        const double gap = z[i + 1] + 1.0 - u * u;
        g[i] += -400.0 * u * gap - 2.0 * (1.0 - u);
        g[i + 1] += 200.0 * gap;
      }
      break;
    case SyntheticKind::kRastrigin:
      for (int i = 0; i < n; ++i) {
        g[i] = 2.0 * z[i] + 10.0 * kTwoPi * std::sin(kTwoPi * z[i]);
      }
      break;
    case SyntheticKind::kAckley: {
      const double rms = std::sqrt(z.squaredNorm() / n);
      double mean_cos = 0.0;
      for (int i = 0; i < n; ++i) mean_cos += std::cos(kTwoPi * z[i]) / n;
      const double radial =
          rms > 0.0 ? kAckleyA * kAckleyB * std::exp(-kAckleyB * rms) / (n * rms) : 0.0;
      for (int i = 0; i < n; ++i) {
        g[i] = radial * z[i] + std::exp(mean_cos) * kTwoPi * std::sin(kTwoPi * z[i]) / n;
      }
      break;
    }
    case SyntheticKind::kLinear:
      g.setOnes();
      break;
  }
  return g;
}

}  // namespace

const std::vector<std::string>& SyntheticKindNames() {
  static const std::vector<std::string> names = {"sphere", "rosenbrock", "rastrigin", "ackley",
                                                 "linear"};
  return names;
}

SyntheticSpec SyntheticSpecFromConfig(const ConfigNode& config) {
  config.AllowOnly({"function", "dim", "condition", "rotate", "offset", "seed"});
  const std::vector<std::string>& names = SyntheticKindNames();
  const std::string name = config.GetString("function", "sphere", names);
  SyntheticSpec spec;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) spec.kind = static_cast<SyntheticKind>(i);
  }
  spec.dim = static_cast<int>(config.GetInt("dim", 10, 1, 1 << 20));
  spec.condition = config.GetDouble("condition", 1.0, 1.0, 1e16);
  spec.rotate = config.GetBool("rotate", false);
  spec.offset = config.GetDouble("offset", 0.0, 0.0, 1e6);
  spec.seed = static_cast<std::uint64_t>(config.GetInt("seed", 0, 0, std::int64_t{1} << 62));
  return spec;
}

SyntheticProblem::SyntheticProblem(const SyntheticSpec& spec) : spec_(spec) {
  const int n = spec.dim;
  scales_.resize(n);
  for (int i = 0; i < n; ++i) {
    const double fraction = n > 1 ? static_cast<double>(i) / (n - 1) : 0.0;
    scales_[i] = std::pow(spec.condition, 0.5 * fraction);
  }
  // Separate streams (index 0 and 1) for the rotation and the offset.
  if (spec.rotate) {
    Stream stream(spec.seed, 0, 0);
    rotation_ = RandomOrthogonal(n, stream);
  }
  optimum_ = Vec::Zero(n);
  if (spec.offset > 0.0) {
    Stream stream(spec.seed, 0, 1);
    stream.FillNormal({optimum_.data(), static_cast<std::size_t>(n)});
    optimum_ *= spec.offset;
  }
}

ParamLayout SyntheticProblem::Layout() const { return ParamLayout::Flat(spec_.dim); }

void SyntheticProblem::Evaluate(std::span<const Vec> xs, std::span<double> fitness, EvalStats*) {
  for (std::size_t i = 0; i < xs.size(); ++i) fitness[i] = -Loss(xs[i]);
}

double SyntheticProblem::Loss(const Vec& x) const { return BaseLoss(spec_.kind, Transform(x)); }

Vec SyntheticProblem::LossGradient(const Vec& x) const {
  // x -> z = S R (x - x*), so dL/dx = R^T S dL/dz.
  const Vec g = scales_.cwiseProduct(BaseGradient(spec_.kind, Transform(x)));
  return spec_.rotate ? Vec(rotation_.transpose() * g) : g;
}

Vec SyntheticProblem::Transform(const Vec& x) const {
  const Vec centered = x - optimum_;
  const Vec rotated = spec_.rotate ? Vec(rotation_ * centered) : centered;
  return scales_.cwiseProduct(rotated);
}

}  // namespace mnemo
