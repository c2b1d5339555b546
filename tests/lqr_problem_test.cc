// The LQR problem: the cost by hand on a tiny system, the Riccati gain beats
// no control and small perturbations of itself, a blowing-up loop is charged
// a bounded cost, and ARS with its nominal step finds a good controller.
#include "core/es/lqr_problem.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/es/gradient_strategy.h"
#include "core/es/search_loop.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

TEST_CASE("the cost of one noise-free step matches a hand computation") {
  LqrSpec spec;
  spec.state_dim = 1;
  spec.action_dim = 1;
  spec.horizon = 1;
  spec.episodes = 1;
  spec.noise = 0.0;
  spec.control_cost = 0.5;
  LqrProblem problem(spec);
  // One step from x_0: x_0^2 + 0.5 (k x_0)^2, for k = 0 and k = 2.
  const double x0_squared = problem.Cost(Vec::Zero(1));
  CHECK(problem.Cost(Vec::Constant(1, 2.0)) == doctest::Approx(x0_squared * (1.0 + 0.5 * 4.0)));
}

TEST_CASE("the Riccati gain beats no control and its own perturbations") {
  for (std::uint64_t seed : {1, 2, 3}) {
    LqrSpec spec;
    spec.state_dim = 5;
    spec.action_dim = 2;
    spec.seed = seed;
    LqrProblem problem(spec);
    const Vec best = problem.RiccatiGain();
    const double cost = problem.Cost(best);
    CHECK(cost < problem.Cost(Vec::Zero(10)));
    Stream rng(seed);
    for (int i = 0; i < 10; ++i) {
      Vec nudged = best;
      for (double& x : nudged) x += 0.05 * rng.Normal();
      CHECK(problem.Cost(nudged) > cost * (1.0 - 0.02));  // near optimal under noise
    }
  }
}

TEST_CASE("a diverging closed loop costs at most the bound per step") {
  LqrSpec spec;
  spec.seed = 4;
  LqrProblem problem(spec);
  const double cost = problem.Cost(Vec::Constant(8, 1e6));
  CHECK(std::isfinite(cost));
  CHECK(cost <= kMaxLqrCost);
  CHECK(cost > 1e3);
  CHECK_THROWS_AS(problem.Cost(Vec::Zero(3)), Error);
  spec.horizon = 0;
  CHECK_THROWS_AS(LqrProblem{spec}, Error);
}

TEST_CASE("ARS with its nominal step approaches the Riccati cost") {
  LqrSpec spec;
  spec.state_dim = 4;
  spec.action_dim = 2;
  spec.seed = 5;
  LqrProblem problem(spec);
  GradientStrategy ars(
      MakeGradientEstimator(ConfigNode::FromString(
          "type: ars\ndirections: 8\ntop_directions: 4\nsigma: 0.05\nstep_size: 0.05", "s")),
      MakeUpdater(ConfigNode::FromString("type: nominal", "o")));
  const EsHistory history = RunEs(problem, ars, Vec::Zero(8), 200, 1);
  const double start = problem.Cost(Vec::Zero(8));
  const double optimal = problem.Cost(problem.RiccatiGain());
  const double found = problem.Cost(history.theta);
  MESSAGE("LQR cost: no control " << start << ", ARS " << found << ", Riccati " << optimal);
  CHECK(found - optimal < 0.2 * (start - optimal));
}

}  // namespace
}  // namespace mnemo
