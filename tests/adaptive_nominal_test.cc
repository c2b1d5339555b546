// The adaptive nominal rule (updater nominal_adaptive): a step size off by a
// factor of 8 on an LQR search is corrected within a stated number of
// iterations, both ways; the slow start and its end; the two collapse tests
// (spread and rank-sum) take theta back to the point they compare with, and
// halve the gain only on evidence enough to blame the step size.
#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("a step size 8 times too large is back within 4 times the good one by iteration 30") {
  // The rule starts at a quarter (2.2x the good step after the first
  // growth) and its slow start grows it until the first collapse (at 7.7 to
  // 11.7 times the good step on these seeds), which halves it; the agreement
  // then brings it down. From iteration 30 on it stays below 4x, and it
  // ends within 2x.
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    LqrSearch s(8 * kGoodAlpha, seed);
    double peak = 0.0;
    double late_peak = 0.0;
    for (int t = 1; t <= 60; ++t) {
      s.loop->Iterate();
      peak = std::max(peak, 8 * s.Gain());
      if (t >= 30) late_peak = std::max(late_peak, 8 * s.Gain());
    }
    MESSAGE("x8 too large: effective step peaks at "
            << peak << ", at most " << late_peak << " from iteration 30, ends at " << 8 * s.Gain());
    CHECK(peak > 4.0);  // the slow start overshoots before a collapse stops it
    CHECK(late_peak < 4.0);
    CHECK(8 * s.Gain() < 2.0);
  }
}

TEST_CASE("a step size 8 times too small is grown to half the good one within 20 iterations") {
  // From a quarter of the given step (1/32 of the good one), by the slow
  // start's 1.1 per iteration and the agreement.
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    LqrSearch s(kGoodAlpha / 8, seed);
    int when = 0;
    for (int t = 1; t <= 20 && when == 0; ++t) {
      s.loop->Iterate();
      if (s.Gain() / 8 > 0.5) when = t;
    }
    MESSAGE("x8 too small: effective step above 1/2 after " << when << " iterations");
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
  // No slow start: the gain moves only by agreement and collapse.
  auto u = MakeUpdater(
      ConfigNode::FromString("type: nominal_adaptive\ninitial_gain: 1\nstart_growth: 1", "o.yaml"));
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
  const Vec fallen = theta;
  u->Step(Returns(80.0, 5.0, step), &theta, &sigma);  // 20 below: a suspect fall
  CHECK(theta == fallen);                             // no step, measured again
  CHECK(gain() == doctest::Approx(at_collapse));
  u->Step(Returns(82.0, 5.0, step), &theta, &sigma);  // confirmed: a collapse
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
    auto u =
        MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\ninitial_gain: 1\n"
                                           "start_growth: 1\nagreement_target: " +
                                               std::to_string(target),
                                           "o.yaml"));
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

// A signal with the task returns `returns` and the nominal step `step`.
SearchSignal TaskReturns(const std::vector<double>& returns, const Vec& step) {
  SearchSignal s = GradientSignal(step, 1.0);
  s.returns = SummarizeReturns(returns);
  s.task_returns = returns;
  return s;
}

// The last gain an updater with inspection on shows (1 before any step).
double GainOf(const Updater& u) {
  const Mat gains = u.Inspect().panels.at(0).values;
  return gains.rows() > 0 ? gains(gains.rows() - 1, 0) : 1.0;
}

// nominal_adaptive with `settings` (YAML lines after the type), reset for 2
// parameters, its gain shown.
std::unique_ptr<Updater> Rule(const std::string& settings) {
  auto u = MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\n" + settings, "o.yaml"));
  u->Reset(ParamLayout::Flat(2));
  u->SetInspection(true);
  return u;
}

TEST_CASE("a heavy-tailed fall that the spread test misses is a collapse of the rank test") {
  // Walker2d's first x4 step: 80 returns near 18 with one of 183, then 80
  // near 4 (every robot falls at once). The mean drops by less than one
  // spread; the ranks drop all the way.
  std::vector<double> before(80), after(80);
  for (int i = 0; i < 80; ++i) {
    before[i] = 18.0 + 0.01 * i;
    after[i] = 4.0 + 0.01 * i;
  }
  before[0] = 183.0;
  const Vec step = Vec::Constant(2, 1.0);
  for (double z : {0.0, 4.0}) {
    CAPTURE(z);
    auto u = Rule("rank_collapse_z: " + std::to_string(z));
    Vec theta = Vec::Zero(2);
    double sigma = 1.0;
    u->Step(TaskReturns(before, step), &theta, &sigma);
    const Vec stepped = theta;
    CHECK(stepped != Vec::Zero(2));
    const double gain = GainOf(*u);
    u->Step(TaskReturns(after, step), &theta, &sigma);
    if (z == 0.0) {
      CHECK(theta != Vec::Zero(2));  // no rank test: the run steps on
    } else {
      CHECK(theta == Vec::Zero(2));  // back to where the 18s were measured
      CHECK(GainOf(*u) == doctest::Approx(gain / 2));
    }
  }
}

TEST_CASE("the rank test compares pools of at least rank_min_returns returns") {
  // Two returns per iteration: the test waits for 8 batches on each side.
  // The spread test is off; the steps stay at right angles (no agreement).
  auto u = Rule("start_growth: 1\nagreement_target: 0\ncollapse_spreads: 1e6");
  const Vec steps[2] = {Vec::Unit(2, 0), Vec::Unit(2, 1)};
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  Vec reference_point;
  for (int k = 0; k < 8; ++k) {
    reference_point = theta;
    u->Step(TaskReturns({100.0 + k, 100.5 + k}, steps[k % 2]), &theta, &sigma);
  }
  // Falling returns: the pooled window holds fewer of the high ones each
  // time; only when it holds none is every return below the reference's.
  for (int j = 0; j < 8; ++j) {
    CAPTURE(j);
    const Vec before = theta;
    u->Step(TaskReturns({1.0 * j, j + 0.5}, steps[j % 2]), &theta, &sigma);
    if (j < 7) {
      CHECK(theta != before);
      CHECK(GainOf(*u) == doctest::Approx(0.25));
    } else {
      CHECK(theta == reference_point);  // where the last high pool ended
      CHECK(GainOf(*u) == doctest::Approx(0.125));
    }
  }
}

// `count` returns around `center`: center - 0.5 and center + 0.5 in turn.
std::vector<double> Batch(double center, int count) {
  std::vector<double> returns(count);
  for (int i = 0; i < count; ++i) returns[i] = center + (i % 2 == 0 ? -0.5 : 0.5);
  return returns;
}

TEST_CASE("a one-off dip halts one step and cuts nothing") {
  // A fall that the next batch at the same point does not repeat: one
  // iteration without a step, then the run goes on at the same gain. Steps
  // at right angles and a target of 0: only a collapse could move the gain.
  auto u = Rule("initial_gain: 1\nstart_growth: 1\nagreement_target: 0");
  const Vec steps[2] = {Vec::Unit(2, 0), Vec::Unit(2, 1)};
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  u->Step(TaskReturns(Batch(100.0, 16), steps[0]), &theta, &sigma);
  const Vec dipped = theta;
  u->Step(TaskReturns(Batch(80.0, 16), steps[1]), &theta, &sigma);  // the dip
  CHECK(theta == dipped);
  CHECK(GainOf(*u) == doctest::Approx(1.0));
  u->Step(TaskReturns(Batch(99.8, 16), steps[1]), &theta, &sigma);  // within a spread: a step
  CHECK(theta == dipped + steps[1]);
  CHECK(GainOf(*u) == doctest::Approx(1.0));
  // A second dip later is a suspect again, not a collapse.
  const Vec again = theta;
  u->Step(TaskReturns(Batch(80.0, 16), steps[0]), &theta, &sigma);
  CHECK(theta == again);
  CHECK(GainOf(*u) == doctest::Approx(1.0));
}

TEST_CASE("the slow start grows the gain by start_growth per iteration until a collapse") {
  // Batches of 16 returns: as many as the rank test pools, enough to blame
  // the step size.
  auto u = Rule("agreement_target: 0\ncollapse_spreads: 1\nrank_collapse_z: 0");
  const Vec steps[2] = {Vec::Unit(2, 0), Vec::Unit(2, 1)};
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  for (int t = 0; t < 10; ++t) {
    u->Step(TaskReturns(Batch(10.0 * t, 16), steps[t % 2]), &theta, &sigma);
    CHECK(GainOf(*u) == doctest::Approx(0.25 * std::pow(1.1, t + 1)));
  }
  // A confirmed collapse (two falls at the same point) halves it and ends
  // the slow start: no growth after.
  u->Step(TaskReturns(Batch(-100.0, 16), steps[0]), &theta, &sigma);
  CHECK(GainOf(*u) == doctest::Approx(0.25 * std::pow(1.1, 10)));
  u->Step(TaskReturns(Batch(-100.0, 16), steps[0]), &theta, &sigma);
  const double after = 0.25 * std::pow(1.1, 10) / 2;
  CHECK(GainOf(*u) == doctest::Approx(after));
  for (int t = 0; t < 5; ++t) {
    u->Step(TaskReturns(Batch(-100.0 + t, 16), steps[(t + 1) % 2]), &theta, &sigma);
    CHECK(GainOf(*u) == doctest::Approx(after));
  }
}

TEST_CASE("a spread collapse on fewer returns than the rank test pools keeps the gain") {
  // Swimmer's two returns per iteration: the fall is seen and undone, but
  // two returns are too few to blame the step size. The slow start ends.
  auto u = Rule("agreement_target: 0\ncollapse_spreads: 1\nrank_collapse_z: 0");
  const Vec steps[2] = {Vec::Unit(2, 0), Vec::Unit(2, 1)};
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  Vec best;
  for (int t = 0; t < 5; ++t) {
    best = theta;
    u->Step(TaskReturns(Batch(10.0 * t, 2), steps[t % 2]), &theta, &sigma);
  }
  const double before = GainOf(*u);
  CHECK(before == doctest::Approx(0.25 * std::pow(1.1, 5)));
  u->Step(TaskReturns(Batch(-100.0, 2), steps[1]), &theta, &sigma);
  CHECK(theta == best);  // back where the best batch was measured
  CHECK(GainOf(*u) == doctest::Approx(before));
  for (int t = 0; t < 5; ++t) {
    u->Step(TaskReturns(Batch(50.0 + t, 2), steps[t % 2]), &theta, &sigma);
    CHECK(GainOf(*u) == doctest::Approx(before));  // no growth: the slow start is over
  }
  // The same fall in batches of 16 returns, seen twice at the same point,
  // halves the gain.
  auto v = Rule("agreement_target: 0\ncollapse_spreads: 1\nrank_collapse_z: 0");
  theta = Vec::Zero(2);
  for (int t = 0; t < 5; ++t)
    v->Step(TaskReturns(Batch(10.0 * t, 16), steps[t % 2]), &theta, &sigma);
  v->Step(TaskReturns(Batch(-100.0, 16), steps[1]), &theta, &sigma);
  CHECK(GainOf(*v) == doctest::Approx(before));
  v->Step(TaskReturns(Batch(-100.0, 16), steps[1]), &theta, &sigma);
  CHECK(GainOf(*v) == doctest::Approx(before / 2));
}

TEST_CASE("the slow start ends when successive steps disagree") {
  // Steps that reverse every time: cosines of -1. After three of them the
  // average is -0.49, far below the target's standard error in 2
  // dimensions; from then on only the agreement moves the gain (down).
  auto u = Rule("");
  const Vec step = Vec::Unit(2, 0);
  Vec theta = Vec::Zero(2);
  double sigma = 1.0;
  std::vector<double> gains;
  for (int t = 0; t < 7; ++t) {
    u->Step(TaskReturns({1.0 * t, t + 0.5}, (t % 2 == 0 ? 1.0 : -1.0) * step), &theta, &sigma);
    gains.push_back(GainOf(*u));
  }
  CHECK(gains[0] == doctest::Approx(0.25 * 1.1));  // growing
  // From the fifth step on, each factor is the agreement's alone: the
  // average after t cosines of -1 is -(1 - 0.8^t) (the eighth would reach
  // the gain's floor, 1/8).
  for (int t = 4; t < 7; ++t) {
    CAPTURE(t);
    CHECK(gains[t] / gains[t - 1] ==
          doctest::Approx(std::exp(0.3 * (0.03 - (1 - std::pow(0.8, t))))));
  }
}

TEST_CASE("its settings are checked where they are written") {
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\ninitial_gain: 100", "o.yaml")),
      doctest::Contains("o.yaml:2: initial_gain: must lie within [1/max_gain, max_gain]"), Error);
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\nrate: 1", "o.yaml")),
      doctest::Contains("unknown key"), Error);
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\nstart_growth: 0.9", "o.yaml")),
      doctest::Contains("start_growth"), Error);
  CHECK_THROWS_WITH_AS(
      MakeUpdater(ConfigNode::FromString("type: nominal_adaptive\nrank_min_returns: 1", "o.yaml")),
      doctest::Contains("rank_min_returns"), Error);
}

}  // namespace
}  // namespace mnemo
