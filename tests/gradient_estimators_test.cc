// ARS and OpenAI-ES: gradient estimates, improvement on a quadratic,
// counter-based sampling, exact resume and config errors.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/es/antithetic_sampler.h"
#include "core/es/fitness_shaping.h"
#include "core/es/gradient_estimator.h"
#include "core/es/gradient_strategy.h"
#include "core/es/search_loop.h"
#include "core/es/synthetic_problem.h"

namespace mnemo {
namespace {

// An estimator built from YAML text.
std::unique_ptr<GradientEstimator> Make(const std::string& yaml) {
  return MakeGradientEstimator(ConfigNode::FromString(yaml, "search.yaml"));
}

// A rotated linear problem: its gradient is a dense random direction.
SyntheticProblem Linear(int dim) {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kLinear;
  spec.dim = dim;
  spec.rotate = true;
  spec.seed = 21;
  return SyntheticProblem(spec);
}

// One Ask/Evaluate/Tell at theta; returns the ascent direction.
Vec EstimateOnce(GradientEstimator& estimator, Problem& problem, const Vec& theta,
                 std::uint64_t iteration, std::vector<double>* fitness) {
  std::vector<Vec> xs;
  estimator.Ask(theta, estimator.InitialSigma(), 7, iteration, &xs);
  fitness->assign(xs.size(), 0.0);
  problem.Evaluate(xs, *fitness, nullptr);
  return estimator.Tell(*fitness);
}

// Cosine of the angle between a and b.
double Cosine(const Vec& a, const Vec& b) { return a.dot(b) / (a.norm() * b.norm()); }

TEST_CASE("Candidates are antithetic and keyed by (seed, iteration, index)") {
  for (const char* type : {"ars", "openai_es"}) {
    CAPTURE(type);
    auto small = Make(std::string("type: ") + type + "\ndirections: 3\nsigma: 0.1");
    auto large = Make(std::string("type: ") + type + "\ndirections: 6\nsigma: 0.1");
    small->Reset(5);
    large->Reset(5);
    const Vec theta = Vec::LinSpaced(5, -1.0, 1.0);
    std::vector<Vec> xs_small, xs_large;
    small->Ask(theta, small->InitialSigma(), 42, 3, &xs_small);
    large->Ask(theta, large->InitialSigma(), 42, 3, &xs_large);
    REQUIRE(xs_small.size() == 6);
    REQUIRE(xs_large.size() == 12);
    for (int k = 0; k < 3; ++k) {
      // Drawing direction k alone, in reverse order, gives the same numbers.
      const int reversed = 2 - k;
      Vec eps(5);
      FillNoise(42, 3, reversed, {eps.data(), 5});
      CHECK(xs_small[2 * reversed] == theta + 0.1 * eps);
      CHECK(xs_small[2 * reversed + 1] == theta - 0.1 * eps);
      CHECK(xs_large[2 * k] == xs_small[2 * k]);
      CHECK(xs_large[2 * k + 1] == xs_small[2 * k + 1]);
    }
    std::vector<Vec> next;
    small->Ask(theta, small->InitialSigma(), 42, 4, &next);
    CHECK(next[0] != xs_small[0]);
  }
}

TEST_CASE("OpenAI-ES without shaping estimates a linear gradient") {
  constexpr int kDim = 20;
  constexpr int kPairs = 500;
  constexpr int kRepeats = 4;
  SyntheticProblem problem = Linear(kDim);
  auto es = Make(
      "type: openai_es\ndirections: 500\nsigma: 0.05\n"
      "weight_decay: 0\nshaping: none");
  es->Reset(kDim);
  const Vec truth = -problem.LossGradient(Vec::Zero(kDim));  // fitness slope
  Vec mean = Vec::Zero(kDim);
  std::vector<double> fitness;
  for (int r = 0; r < kRepeats; ++r) {
    mean += EstimateOnce(*es, problem, Vec::Ones(kDim), r, &fitness) / kRepeats;
  }
  // Each of P samples (a.eps) eps has E|.-a|^2 = (n + 1)|a|^2: the mean of P
  // is off by sqrt((n + 1) / P)|a| in expectation; allow twice that.
  const double expected = std::sqrt((kDim + 1.0) / (kPairs * kRepeats));
  const double error = (mean - truth).norm() / truth.norm();
  CHECK(error < 2.0 * expected);
  CHECK(error > 0.2 * expected);  // it is an estimate, not the exact gradient
}

TEST_CASE("ARS estimates a linear gradient, scaled by the returns' spread") {
  constexpr int kDim = 20;
  constexpr int kDirections = 2000;
  SyntheticProblem problem = Linear(kDim);
  auto ars = Make("type: ars\ndirections: 2000\nsigma: 0.03");
  ars->Reset(kDim);
  CHECK(ars->InitialSigma() == 0.03);
  CHECK(ars->StepSize() == 0.02);
  const Vec truth = -problem.LossGradient(Vec::Zero(kDim));
  std::vector<double> fitness;
  const Vec g = EstimateOnce(*ars, problem, Vec::Zero(kDim), 0, &fitness);
  // g = 1/(N sigma_R) sum (r+ - r-) delta, and r+ - r- = 2 nu a.delta, so
  // g sigma_R / (2 nu) is the plain mean of (a.delta) delta.
  const Vec unscaled = g * PopulationStd(fitness) / (2.0 * 0.03);
  const double expected = std::sqrt((kDim + 1.0) / kDirections);
  CHECK((unscaled - truth).norm() / truth.norm() < 2.0 * expected);
  // sigma_R = nu |a| roughly, so |g| is close to 2.
  CHECK(g.norm() == doctest::Approx(2.0).epsilon(0.1));
}

TEST_CASE("ARS with top-b directions: exact estimate on hand-made returns") {
  constexpr int kDim = 3;
  auto ars = Make("type: ars\ndirections: 4\ntop_directions: 2\nsigma: 0.1");
  ars->Reset(kDim);
  std::vector<Vec> xs;
  ars->Ask(Vec::Zero(kDim), ars->InitialSigma(), 7, 5, &xs);
  REQUIRE(xs.size() == 8);
  // r+ and r- per direction; max(r+, r-) = 1, 5, 6, 0.5 ranks 2 and 1 on top.
  const std::vector<double> fitness = {1.0, 0.0, 5.0, 1.0, 2.0, 6.0, 0.5, 0.2};
  const Vec g = ars->Tell(fitness);
  // sigma_R over the four returns used (5, 1, 2, 6): mean 3.5, variance 4.25.
  const double sigma_r = std::sqrt(4.25);
  std::vector<Vec> eps(4, Vec(kDim));
  for (int k = 0; k < 4; ++k) FillNoise(7, 5, k, {eps[k].data(), kDim});
  const Vec expected = ((5.0 - 1.0) * eps[1] + (2.0 - 6.0) * eps[2]) / (2.0 * sigma_r);
  CHECK((g - expected).norm() < 1e-12 * expected.norm());
  // Nothing of the two dropped directions leaks in: g lies in span(eps1, eps2).
  Eigen::Matrix<double, kDim, 2> kept;
  kept << eps[1], eps[2];
  const Vec in_span = kept * kept.colPivHouseholderQr().solve(g);
  CHECK((g - in_span).norm() < 1e-12 * g.norm());
}

TEST_CASE("ARS with top-b directions still points up the slope") {
  constexpr int kDim = 20;
  SyntheticProblem problem = Linear(kDim);
  auto ars = Make("type: ars\ndirections: 400\ntop_directions: 100\nsigma: 0.03");
  ars->Reset(kDim);
  const Vec truth = -problem.LossGradient(Vec::Zero(kDim));
  std::vector<double> fitness;
  const Vec g = EstimateOnce(*ars, problem, Vec::Zero(kDim), 0, &fitness);
  CHECK(Cosine(g, truth) > 0.9);
}

TEST_CASE("OpenAI-ES with centered ranks and weight decay") {
  constexpr int kDim = 20;
  SyntheticProblem problem = Linear(kDim);
  const Vec truth = -problem.LossGradient(Vec::Zero(kDim));
  auto plain = Make(
      "type: openai_es\ndirections: 1000\nsigma: 0.05\n"
      "weight_decay: 0");
  auto decayed = Make(
      "type: openai_es\ndirections: 1000\nsigma: 0.05\n"
      "weight_decay: 0.5");
  plain->Reset(kDim);
  decayed->Reset(kDim);
  const Vec theta = Vec::LinSpaced(kDim, -1.0, 1.0);
  std::vector<double> fitness;
  const Vec g = EstimateOnce(*plain, problem, theta, 0, &fitness);
  CHECK(Cosine(g, truth) > 0.95);
  // Ranks make the step scale-free: shaped weights are at most 1/(2 n sigma).
  CHECK(g.cwiseAbs().maxCoeff() < 10.0);
  // Only the order of the returns counts: a monotone transform of them gives
  // the same estimate, bit for bit. Raw returns (no shaping) do not.
  std::vector<double> transformed;
  for (double f : fitness) transformed.push_back(1e6 * f * f * f + 7.0);
  std::vector<Vec> xs;
  plain->Ask(theta, plain->InitialSigma(), 7, 0, &xs);
  CHECK((plain->Tell(transformed) - g).cwiseAbs().maxCoeff() == 0.0);
  auto raw = Make("type: openai_es\ndirections: 1000\nsigma: 0.05\nweight_decay: 0\nshaping: none");
  raw->Reset(kDim);
  raw->Ask(theta, raw->InitialSigma(), 7, 0, &xs);
  const Vec g_raw = raw->Tell(fitness);
  raw->Ask(theta, raw->InitialSigma(), 7, 0, &xs);
  CHECK((raw->Tell(transformed) - g_raw).norm() > 1e3 * g_raw.norm());
  const Vec g_decayed = EstimateOnce(*decayed, problem, theta, 0, &fitness);
  // The decay is the authors' l2coeff, applied before the 1/sigma scaling.
  CHECK((g_decayed - (g - 0.5 / 0.05 * theta)).cwiseAbs().maxCoeff() < 1e-12);
}

// The loss of a 20-D ellipsoid (condition 10) after `iterations` steps of
// `search` with `optimizer`, relative to its loss at the start.
double QuadraticProgress(const std::string& search, const std::string& optimizer, int iterations) {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 20;
  spec.condition = 10.0;
  spec.rotate = true;
  spec.seed = 5;
  SyntheticProblem problem(spec);
  GradientStrategy strategy(Make(search),
                            MakeUpdater(ConfigNode::FromString(optimizer, "opt.yaml")));
  const Vec start = Vec::Ones(20);
  const EsHistory history = RunEs(problem, strategy, start, iterations, 1);
  REQUIRE(history.center_fitness.size() == static_cast<std::size_t>(iterations));
  return problem.Loss(history.theta) / problem.Loss(start);
}

TEST_CASE("ARS with SGD (the ARS rule) improves a quadratic") {
  const double ratio = QuadraticProgress(
      "type: ars\ndirections: 16\ntop_directions: 8\nsigma: 0.03", "type: sgd\nlr: 0.02", 300);
  CHECK(ratio < 1e-3);
}

TEST_CASE("OpenAI-ES with Adam improves a quadratic") {
  const double ratio = QuadraticProgress(
      "type: openai_es\ndirections: 16\nsigma: 0.03\nweight_decay: 0", "type: adam\nlr: 0.02", 300);
  CHECK(ratio < 1e-3);
}

// Runs 6 iterations of `search` + `optimizer` on a Rosenbrock, saves the
// loop, and checks that 6 more iterations after a fresh load equal 6 more
// iterations of the original, bit for bit.
void CheckExactResume(const std::string& search, const std::string& optimizer) {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kRosenbrock;
  spec.dim = 8;
  SyntheticProblem problem(spec);
  const ConfigNode search_config = ConfigNode::FromString(search, "s.yaml");
  const ConfigNode opt_config = ConfigNode::FromString(optimizer, "o.yaml");
  GradientStrategy strategy(MakeGradientEstimator(search_config), MakeUpdater(opt_config));
  SearchLoop loop(problem, strategy, Vec::Constant(8, -0.5), 3);
  for (int it = 0; it < 6; ++it) loop.Iterate();
  std::stringstream saved;
  BinaryWriter writer(saved);
  loop.SaveState(writer);
  const Vec saved_theta = loop.Theta();
  for (int it = 6; it < 12; ++it) loop.Iterate();

  GradientStrategy resumed(MakeGradientEstimator(search_config), MakeUpdater(opt_config));
  SearchLoop resumed_loop(problem, resumed, Vec::Zero(8), 3);
  BinaryReader reader(saved, "saved state");
  resumed_loop.LoadState(reader);
  while (resumed_loop.Iteration() < 12) resumed_loop.Iterate();
  CHECK(resumed_loop.Theta() == loop.Theta());
  CHECK((loop.Theta() - saved_theta).norm() > 0.0);
}

TEST_CASE("Save and load continue bit-identically") {
  CheckExactResume("type: ars\ndirections: 6\ntop_directions: 3\nsigma: 0.05",
                   "type: sgd\nlr: 0.01");
  CheckExactResume("type: openai_es\ndirections: 6\nsigma: 0.05", "type: adam\nlr: 0.01");
}

TEST_CASE("States are refused by another estimator or dimension") {
  auto ars = Make("type: ars");
  ars->Reset(4);
  std::stringstream saved;
  BinaryWriter writer(saved);
  ars->SaveState(writer);
  const std::string bytes = saved.str();

  auto es = Make("type: openai_es");
  es->Reset(4);
  std::stringstream in1(bytes);
  BinaryReader reader1(in1, "state");
  CHECK_THROWS_WITH_AS(es->LoadState(reader1), doctest::Contains("'ars'"), Error);
  auto wider = Make("type: ars");
  wider->Reset(5);
  std::stringstream in2(bytes);
  BinaryReader reader2(in2, "state");
  CHECK_THROWS_WITH_AS(wider->LoadState(reader2), doctest::Contains("dimension 4"), Error);
}

TEST_CASE("Config errors name the key") {
  CHECK_THROWS_WITH_AS(Make("type: ars\ndirections: 4\ntop_directions: 5"),
                       doctest::Contains("top_directions"), Error);
  CHECK_THROWS_WITH_AS(Make("type: ars\nnoise: 0.1"), doctest::Contains("noise"), Error);
  CHECK_THROWS_WITH_AS(Make("type: openai_es\nsigma: -1"), doctest::Contains("sigma"), Error);
  CHECK_THROWS_WITH_AS(Make("type: openai_es\nshaping: ranks"), doctest::Contains("shaping"),
                       Error);
  CHECK_THROWS_WITH_AS(Make("type: arz"), doctest::Contains("unknown gradient estimator"), Error);
  CHECK(Make("type: ars\ndirections: 4")->Name() == "ars");
}

TEST_CASE("Tell checks the number of fitness values") {
  auto ars = Make("type: ars\ndirections: 2");
  ars->Reset(3);
  std::vector<double> three = {1.0, 2.0, 3.0};
  CHECK_THROWS_AS(ars->Tell(three), Error);  // nothing asked yet
  std::vector<Vec> xs;
  ars->Ask(Vec::Zero(3), ars->InitialSigma(), 0, 0, &xs);
  CHECK_THROWS_WITH_AS(ars->Tell(three), doctest::Contains("4 candidates"), Error);
}

}  // namespace
}  // namespace mnemo
