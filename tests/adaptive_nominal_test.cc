// The adaptive nominal rule (updater nominal_adaptive): a step size off by a
// factor of 8 on an LQR search is corrected within a stated number of
// iterations, both ways; a collapse of the returns takes theta back to the
// best point; resume is exact.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "core/es/gradient_strategy.h"
#include "core/es/lqr_problem.h"
#include "core/es/search_loop.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// An ARS V2-t search of a 4-state, 2-action LQR problem with step size
// `alpha`, stepped by nominal_adaptive.
struct LqrSearch {
  LqrProblem problem;
  std::unique_ptr<GradientStrategy> strategy;
  std::unique_ptr<SearchLoop> loop;

  explicit LqrSearch(double alpha, std::uint64_t seed = 1) : problem(Spec()) {
    strategy = std::make_unique<GradientStrategy>(
        MakeGradientEstimator(ConfigNode::FromString(
            "type: ars\ndirections: 8\ntop_directions: 4\nsigma: 0.05\nstep_size: " +
                std::to_string(alpha),
            "search.yaml")),
        MakeUpdater(ConfigNode::FromString("type: nominal_adaptive", "optimizer.yaml")));
    loop = std::make_unique<SearchLoop>(problem, *strategy, Vec::Zero(problem.Dim()), seed);
    strategy->StepUpdater()->SetInspection(true);
  }
  // The spec: a mildly unstable open loop.
  static LqrSpec Spec() {
    LqrSpec spec;
    spec.seed = 4;
    return spec;
  }
  // The rule's current gain on the nominal step (the last of its series).
  double Gain() const {
    const Mat gains = strategy->StepUpdater()->Inspect().panels.at(0).values;
    return gains(gains.rows() - 1, 0);
  }
};

// On this problem a step size of 0.02 converges well (from 0.01 to 0.04 the
// final costs are within 1e-3 of the best).
constexpr double kGoodAlpha = 0.02;

TEST_CASE("a step size 8 times too large is cut below half within 30 iterations") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    LqrSearch s(8 * kGoodAlpha, seed);
    int when = 0;
    for (int t = 1; t <= 30 && when == 0; ++t) {
      s.loop->Iterate();
      if (s.Gain() < 0.5) when = t;
    }
    MESSAGE("x8 too large: gain below 1/2 after " << when << " iterations");
    CHECK(when > 0);
  }
}

TEST_CASE("a step size 8 times too small is grown above 2 within 20 iterations") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    LqrSearch s(kGoodAlpha / 8, seed);
    int when = 0;
    for (int t = 1; t <= 20 && when == 0; ++t) {
      s.loop->Iterate();
      if (s.Gain() > 2.0) when = t;
    }
    MESSAGE("x8 too small: gain above 2 after " << when << " iterations");
    CHECK(when > 0);
  }
}

TEST_CASE("wherever it starts, the adapted step ends near the good one; the fixed one does not") {
  for (double scale : {1.0 / 8, 8.0}) {
    CAPTURE(scale);
    LqrSearch s(scale * kGoodAlpha);
    for (int t = 0; t < 60; ++t) s.loop->Iterate();
    const double effective = scale * kGoodAlpha * s.Gain();
    CHECK(effective > kGoodAlpha / 2);
    CHECK(effective < 2 * kGoodAlpha);
  }
}

// A signal whose candidates' returns have mean `mean` and spread `spread`,
// with the nominal step `step`.
SearchSignal Returns(double mean, double spread, const Vec& step) {
  SearchSignal s = GradientSignal(step, 1.0);
  s.returns.mean = mean;
  s.returns.spread = spread;
  return s;
}

TEST_CASE("a collapse of the returns takes theta back to the best point and halves the step") {
  auto u = MakeUpdater(ConfigNode::FromString("type: nominal_adaptive", "o.yaml"));
  u->Reset(ParamLayout::Flat(2));
  u->SetInspection(true);
  const Vec step = Vec::Constant(2, 1.0);
  const auto gain = [&] {
    const Mat gains = u->Inspect().panels.at(0).values;
    return gains.rows() > 0 ? gains(gains.rows() - 1, 0) : 1.0;
  };
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  u->Step(Returns(10.0, 5.0, step), &theta, &sigma);  // at 0: the best so far
  CHECK(theta == Vec::Constant(2, 1.0));
  u->Step(Returns(100.0, 5.0, step), &theta, &sigma);  // at 1: the best now
  const double before = gain();
  const Vec best = Vec::Constant(2, 1.0);
  CHECK(theta == best + before * step);
  u->Step(Returns(95.0, 5.0, step), &theta, &sigma);  // within a spread: steps on
  CHECK(theta != best);
  const double at_collapse = gain();
  u->Step(Returns(80.0, 5.0, step), &theta, &sigma);  // 20 below: a collapse
  CHECK(theta == best);
  CHECK(gain() == doctest::Approx(at_collapse / 2));
  // The best point's return is measured afresh: a lower one is the new best.
  u->Step(Returns(60.0, 5.0, step), &theta, &sigma);
  CHECK(theta != best);
}

TEST_CASE("the gain stays put where the cosines' average is the agreement target") {
  // Successive steps at right angles: a cosine of 0 every time.
  const Vec steps[2] = {Vec::Unit(2, 0), Vec::Unit(2, 1)};
  for (double target : {0.0, -0.05}) {
    CAPTURE(target);
    auto u = MakeUpdater(ConfigNode::FromString(
        "type: nominal_adaptive\nagreement_target: " + std::to_string(target), "o.yaml"));
    u->Reset(ParamLayout::Flat(2));
    u->SetInspection(true);
    Vec theta = Vec::Zero(2);
    double sigma = 1.0;
    for (int t = 0; t < 11; ++t) u->Step(Returns(t, 0.0, steps[t % 2]), &theta, &sigma);
    const Mat gains = u->Inspect().panels.at(0).values;
    // Ten cosines after the first step, each moving l by 0.3 * (0 - target).
    CHECK(gains(gains.rows() - 1, 0) == doctest::Approx(std::exp(10 * 0.3 * -target)));
  }
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\nagreement_target: -2", "o.yaml")),
      doctest::Contains("agreement_target"), Error);
}

TEST_CASE("its settings are checked where they are written") {
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\ninitial_gain: 100", "o.yaml")),
      doctest::Contains("o.yaml:2: initial_gain: must lie within [1/max_gain, max_gain]"), Error);
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\nrate: 1", "o.yaml")),
      doctest::Contains("unknown key"), Error);
}

}  // namespace
}  // namespace mnemo
