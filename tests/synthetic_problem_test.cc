// The synthetic test functions: known values, minima and exact gradients.
#include "core/es/synthetic_problem.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/math/random_stream.h"

namespace mnemo {
namespace {

// A point with coordinates drawn uniformly from [-1, 1].
Vec RandomPoint(int dim, std::uint64_t seed) {
  Vec x(dim);
  Stream stream(seed);
  stream.FillUniform({x.data(), static_cast<std::size_t>(dim)}, -1.0, 1.0);
  return x;
}

TEST_CASE("Known values of the classic functions") {
  SyntheticSpec spec;
  spec.dim = 10;
  spec.kind = SyntheticKind::kRosenbrock;
  // x = -1 is the classic Rosenbrock's origin: loss n - 1.
  CHECK(SyntheticProblem(spec).Loss(Vec::Constant(10, -1.0)) == doctest::Approx(9.0));
  spec.kind = SyntheticKind::kRastrigin;
  CHECK(SyntheticProblem(spec).Loss(Vec::Constant(10, 0.5)) ==
        doctest::Approx(10 * (10.0 + 0.25 + 10.0)));
  spec.kind = SyntheticKind::kSphere;
  spec.condition = 1e6;
  Vec last = Vec::Zero(10);
  last[9] = 1.0;
  CHECK(SyntheticProblem(spec).Loss(last) == doctest::Approx(1e6));
  spec.kind = SyntheticKind::kAckley;
  spec.condition = 1.0;
  CHECK(SyntheticProblem(spec).Loss(Vec::Constant(10, 1.0)) ==
        doctest::Approx(-20.0 * std::exp(-0.2) - std::exp(1.0) + 20.0 + std::exp(1.0)));
}

TEST_CASE("Every function has loss 0 at its shifted, rotated optimum") {
  for (int kind = 0; kind < 4; ++kind) {
    SyntheticSpec spec;
    spec.kind = static_cast<SyntheticKind>(kind);
    spec.dim = 7;
    spec.rotate = true;
    spec.condition = 100.0;
    spec.offset = 2.0;
    spec.seed = 11;
    SyntheticProblem problem(spec);
    CAPTURE(kind);
    CHECK(problem.Optimum().norm() > 1.0);
    CHECK(std::abs(problem.Loss(problem.Optimum())) < 1e-12);
    CHECK(problem.LossGradient(problem.Optimum()).norm() < 1e-9);
    CHECK(problem.Loss(problem.Optimum() + Vec::Constant(7, 0.1)) > 0.0);
  }
}

TEST_CASE("Gradients match central finite differences") {
  for (int kind = 0; kind < 5; ++kind) {
    SyntheticSpec spec;
    spec.kind = static_cast<SyntheticKind>(kind);
    spec.dim = 6;
    spec.rotate = true;
    spec.condition = 10.0;
    spec.offset = 0.5;
    spec.seed = 3;
    SyntheticProblem problem(spec);
    const Vec x = RandomPoint(6, 5 + kind);
    const Vec g = problem.LossGradient(x);
    constexpr double kH = 1e-6;
    for (int i = 0; i < 6; ++i) {
      Vec up = x, down = x;
      up[i] += kH;
      down[i] -= kH;
      const double fd = (problem.Loss(up) - problem.Loss(down)) / (2 * kH);
      CAPTURE(kind);
      CAPTURE(i);
      CHECK(g[i] == doctest::Approx(fd).epsilon(1e-5).scale(1.0));
    }
  }
}

TEST_CASE("Rotation is orthogonal and seeded") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 12;
  spec.rotate = true;
  spec.seed = 9;
  SyntheticProblem a(spec), b(spec);
  const Vec x = RandomPoint(12, 1);
  // A rotated sphere keeps distances; two problems of one seed agree.
  CHECK(a.Loss(x) == doctest::Approx(x.squaredNorm()));
  CHECK(a.Loss(x) == b.Loss(x));
  spec.kind = SyntheticKind::kLinear;
  spec.seed = 10;
  const Vec direction = SyntheticProblem(spec).LossGradient(x);
  CHECK(direction.norm() == doctest::Approx(std::sqrt(12.0)));
  CHECK((direction - Vec::Ones(12)).norm() > 1.0);
}

TEST_CASE("Evaluate gives fitness = -loss") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kRastrigin;
  spec.dim = 4;
  SyntheticProblem problem(spec);
  const std::vector<Vec> xs = {RandomPoint(4, 1), RandomPoint(4, 2)};
  std::vector<double> fitness(2);
  EvalStats stats;
  problem.Evaluate(xs, fitness, &stats);
  CHECK(fitness[0] == -problem.Loss(xs[0]));
  CHECK(fitness[1] == -problem.Loss(xs[1]));
  CHECK(problem.Layout().Size() == 4);
}

TEST_CASE("A spec read from a config") {
  const ConfigNode config = ConfigNode::FromString(
      "function: ackley\ndim: 30\ncondition: 10\nrotate: true\nseed: 4\n", "test.yaml");
  const SyntheticSpec spec = SyntheticSpecFromConfig(config);
  CHECK(spec.kind == SyntheticKind::kAckley);
  CHECK(spec.dim == 30);
  CHECK(spec.condition == 10.0);
  CHECK(spec.rotate);
  CHECK(spec.seed == 4);
  const ConfigNode bad = ConfigNode::FromString("function: sphere\ndims: 3\n", "bad.yaml");
  CHECK_THROWS_WITH_AS(SyntheticSpecFromConfig(bad), doctest::Contains("dims"), Error);
}

}  // namespace
}  // namespace mnemo
