// CMA-ES: the tutorial's parameters, full CMA on Rosenbrock, sep-CMA on a
// large ellipsoid, IPOP restarts, counter-based sampling and exact resume.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/es/antithetic_sampler.h"
#include "core/es/cma_parameters.h"
#include "core/es/search_loop.h"
#include "core/es/strategy.h"
#include "core/es/synthetic_problem.h"

namespace mnemo {
namespace {

// A CMA-ES built from YAML text (the type key is added).
std::unique_ptr<Strategy> MakeCma(const std::string& yaml) {
  return MakeStrategy(ConfigNode::FromString("type: cma_es\n" + yaml, "search.yaml"),
                      ConfigNode::FromString("{}", "optimizer.yaml"));
}

// Runs from `theta` until the loss of the mean is below `target` or
// `max_iterations`; returns the final loss and the iterations used.
std::pair<double, int> Minimize(SyntheticProblem& problem, Strategy& cma, Vec theta, double target,
                                int max_iterations, std::vector<int>* populations = nullptr) {
  const EsHistory history = RunEs(problem, cma, std::move(theta), max_iterations, 17, -target);
  if (populations != nullptr) {
    for (const EsIterationStats& s : history.iterations) {
      populations->push_back(s.candidates);
    }
  }
  return {problem.Loss(history.theta), static_cast<int>(history.iterations.size())};
}

TEST_CASE("Strategy parameters follow the tutorial") {
  CHECK(CmaParameters::DefaultPopulation(10) == 10);
  CHECK(CmaParameters::DefaultPopulation(100) == 17);
  CHECK(CmaParameters::DefaultPopulation(1) == 4);
  const CmaParameters p = CmaParameters::Make(10, 10, false);
  CHECK(p.mu == 5);
  CHECK(p.weights.sum() == doctest::Approx(1.0));
  CHECK(p.weights[0] > p.weights[4]);
  CHECK(p.weights[4] > 0.0);
  // For lambda = 10: mu_eff = 3.1672.
  CHECK(p.mu_eff == doctest::Approx(3.1672).epsilon(1e-4));
  CHECK(p.cs == doctest::Approx((p.mu_eff + 2) / (10 + p.mu_eff + 5)));
  CHECK(p.c1 == doctest::Approx(2.0 / (11.3 * 11.3 + p.mu_eff)));
  // c_mu = 2 (mu_eff - 2 + 1/mu_eff) / ((n + 2)^2 + mu_eff), the tutorial's
  // Table 1, worked out by hand for mu_eff = 3.1672.
  CHECK(p.cmu == doctest::Approx(0.020154).epsilon(1e-4));
  CHECK(p.chi_n == doctest::Approx(3.0844).epsilon(1e-4));
  CHECK(p.eigen_period == 1);
  const CmaParameters sep = CmaParameters::Make(100, 17, true);
  const CmaParameters full = CmaParameters::Make(100, 17, false);
  CHECK(sep.c1 == doctest::Approx(full.c1 * 102.0 / 3.0));
  CHECK(sep.cmu == doctest::Approx(full.cmu * 102.0 / 3.0));
  CHECK(full.eigen_period == 1);
  // The eigendecomposition is refreshed every 1 / (10 n (c1 + cmu))
  // generations: lazily only for large n.
  CHECK(CmaParameters::Make(200, 19, false).eigen_period == 2);
  CHECK(CmaParameters::Make(1000, 24, false).eigen_period == 8);  // 1 / 0.1229
}

TEST_CASE("Full CMA-ES solves the 10-D Rosenbrock to 1e-8") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kRosenbrock;
  spec.dim = 10;
  SyntheticProblem problem(spec);
  auto cma = MakeCma("sigma: 0.5");
  // Start at the classic function's origin.
  const auto [loss, iterations] = Minimize(problem, *cma, Vec::Constant(10, -1.0), 1e-8, 3000);
  MESSAGE("Rosenbrock-10: loss " << loss << " after " << iterations << " iterations");
  CHECK(loss < 1e-8);
  CHECK(iterations < 2000);
}

TEST_CASE("Full CMA-ES learns a rotated ill-conditioned ellipsoid") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 10;
  spec.condition = 1e6;
  spec.rotate = true;
  spec.seed = 2;
  SyntheticProblem problem(spec);
  auto cma = MakeCma("sigma: 1.0");
  const auto [loss, iterations] = Minimize(problem, *cma, Vec::Ones(10), 1e-10, 3000);
  MESSAGE("rotated ellipsoid-10: loss " << loss << " after " << iterations << " iterations");
  CHECK(loss < 1e-10);
}

TEST_CASE("sep-CMA solves a 100-D ellipsoid and a 100-D sphere") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 100;
  spec.condition = 1e4;
  SyntheticProblem ellipsoid(spec);
  auto cma = MakeCma("sigma: 1.0\ndiagonal: true");
  auto [loss, iterations] = Minimize(ellipsoid, *cma, Vec::Ones(100), 1e-8, 6000);
  MESSAGE("ellipsoid-100: loss " << loss << " after " << iterations);
  CHECK(loss < 1e-8);

  spec.condition = 1.0;
  SyntheticProblem sphere(spec);
  std::tie(loss, iterations) = Minimize(sphere, *cma, Vec::Ones(100), 1e-10, 3000);
  MESSAGE("sphere-100: loss " << loss << " after " << iterations);
  CHECK(loss < 1e-10);
}

TEST_CASE("IPOP restarts double the population and escape Rastrigin's traps") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kRastrigin;
  spec.dim = 5;
  SyntheticProblem problem(spec);
  const Vec start = Vec::Constant(5, 3.0);
  auto plain = MakeCma("sigma: 2.0");
  const double stuck = Minimize(problem, *plain, start, 1e-8, 1500).first;
  auto ipop = MakeCma("sigma: 2.0\nrestarts: 6");
  std::vector<int> populations;
  const auto [loss, iterations] = Minimize(problem, *ipop, start, 1e-8, 4000, &populations);
  MESSAGE("Rastrigin-5: no restarts " << stuck << ", IPOP " << loss << " after " << iterations
                                      << ", last population " << populations.back());
  CHECK(stuck > 0.5);
  CHECK(loss < 1e-8);
  CHECK(populations.front() == 8);
  CHECK(populations.back() > 8);
  // Every population is 8 * 2^r.
  for (int size : populations) {
    CHECK((size % 8 == 0 && ((size / 8) & (size / 8 - 1)) == 0));
  }
}

TEST_CASE("Candidates come from Stream(seed, iteration, index)") {
  auto small = MakeCma("sigma: 0.3\npopulation: 4");
  auto large = MakeCma("sigma: 0.3\npopulation: 9");
  const Vec theta = Vec::LinSpaced(6, 0.0, 1.0);
  small->Reset(ParamLayout::Flat(6), theta);
  large->Reset(ParamLayout::Flat(6), theta);
  std::vector<Vec> xs_small, xs_large;
  small->Ask(5, 2, &xs_small);
  large->Ask(5, 2, &xs_large);
  REQUIRE(xs_small.size() == 4);
  REQUIRE(xs_large.size() == 9);
  for (int k = 3; k >= 0; --k) {
    Vec z(6);
    FillNoise(5, 2, k, {z.data(), 6});
    CHECK(xs_small[k] == theta + 0.3 * z);  // C = I at the start
    CHECK(xs_large[k] == xs_small[k]);
  }
}

TEST_CASE("Tell moves the mean (theta) by CMA's own rule, with no updater") {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 4;
  SyntheticProblem problem(spec);
  auto cma = MakeCma("sigma: 0.5");
  CHECK(cma->StepUpdater() == nullptr);
  CHECK(cma->Name() == "cma_es");
  const Vec theta = Vec::Constant(4, 2.0);
  cma->Reset(ParamLayout::Flat(4), theta);
  std::vector<Vec> xs;
  cma->Ask(1, 0, &xs);
  // The candidates are drawn around theta with spread sigma = 0.5.
  Vec mean = Vec::Zero(4);
  for (const Vec& x : xs) mean += x / double(xs.size());
  CHECK((mean - theta).norm() < 0.5 * 4.0);
  std::vector<double> fitness(xs.size());
  problem.Evaluate(xs, fitness, nullptr);
  const StrategyStep step = cma->Tell(fitness, {}, 0.0);
  // The step is a weighted mean of the best half's offsets, so it points
  // downhill and lies within their span.
  CHECK(problem.Loss(cma->Theta()) < problem.Loss(theta));
  CHECK(step.step_norm < 0.5 * 4.0);
  CHECK(step.step_norm == doctest::Approx(step.ascent_norm));
}

// Runs 30 iterations, saves, and compares 30 more after a fresh load with 30
// more of the original, bit for bit. Returns the final population size.
int CheckExactResume(const std::string& yaml, int dim) {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kRosenbrock;
  spec.dim = dim;
  SyntheticProblem problem(spec);
  auto cma = MakeCma(yaml);
  SearchLoop loop(problem, *cma, Vec::Constant(dim, -1.0), 8);
  for (int it = 0; it < 30; ++it) loop.Iterate();
  std::stringstream saved;
  BinaryWriter writer(saved);
  loop.SaveState(writer);
  const Vec saved_theta = loop.Theta();
  EsIterationStats last;
  for (int it = 30; it < 60; ++it) last = loop.Iterate();

  auto resumed = MakeCma(yaml);
  SearchLoop resumed_loop(problem, *resumed, Vec::Zero(dim), 8);
  BinaryReader reader(saved, "saved state");
  resumed_loop.LoadState(reader);
  CHECK(resumed_loop.Iteration() == 30);
  while (resumed_loop.Iteration() < 60) resumed_loop.Iterate();
  CHECK(resumed_loop.Theta() == loop.Theta());
  // The whole state (sigma, paths, covariance) agrees too.
  std::stringstream original_state, resumed_state;
  BinaryWriter original_writer(original_state), resumed_writer(resumed_state);
  cma->SaveState(original_writer);
  resumed->SaveState(resumed_writer);
  CHECK(resumed_state.str() == original_state.str());
  CHECK((loop.Theta() - saved_theta).norm() > 0.0);
  return last.candidates;
}

TEST_CASE("Save and load continue bit-identically") {
  // Full covariance with a lazy eigendecomposition (period 2 at 200-D).
  CheckExactResume("sigma: 0.3\ndiagonal: false", 200);
  CheckExactResume("sigma: 0.3", 10);
  CheckExactResume("sigma: 0.3\ndiagonal: true", 12);
  // A huge tol_fun makes TolFun fire after its window (29 generations, then
  // 20): two IPOP restarts, one on each side of the save.
  CHECK(CheckExactResume("sigma: 0.3\nrestarts: 3\ntol_fun: 1e6", 5) == 32);
}

TEST_CASE("diagonal: auto switches to sep-CMA above the threshold") {
  auto automatic = MakeCma("diagonal_threshold: 50");
  auto full = MakeCma("diagonal: false");
  auto sep = MakeCma("diagonal: true");
  for (int dim : {20, 80}) {
    automatic->Reset(ParamLayout::Flat(dim), Vec::Zero(dim));
    std::stringstream saved;
    BinaryWriter writer(saved);
    automatic->SaveState(writer);
    const std::string bytes = saved.str();
    // The state loads only into the strategy of the same covariance form.
    Strategy& same = dim > 50 ? *sep : *full;
    Strategy& other = dim > 50 ? *full : *sep;
    same.Reset(ParamLayout::Flat(dim), Vec::Zero(dim));
    other.Reset(ParamLayout::Flat(dim), Vec::Zero(dim));
    std::stringstream in1(bytes), in2(bytes);
    BinaryReader r1(in1, "state"), r2(in2, "state");
    CAPTURE(dim);
    CHECK_NOTHROW(same.LoadState(r1));
    CHECK_THROWS_AS(other.LoadState(r2), Error);
  }
}

TEST_CASE("Config errors name the key") {
  CHECK_THROWS_WITH_AS(MakeCma("diagonal: maybe"), doctest::Contains("diagonal"), Error);
  CHECK_THROWS_WITH_AS(MakeCma("population: 1"), doctest::Contains("population"), Error);
  CHECK_THROWS_WITH_AS(MakeCma("sigma0: 1"), doctest::Contains("sigma0"), Error);
  CHECK_THROWS_WITH_AS(MakeCma("restarts: -1"), doctest::Contains("restarts"), Error);
}

}  // namespace
}  // namespace mnemo
