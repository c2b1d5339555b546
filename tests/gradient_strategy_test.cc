// GradientStrategy: what the updater sees of the search (the SearchSignal),
// the exploration sigma the updater sets, the nominal rule (ARS's own step)
// against SGD, and exact resume with a changed sigma.
#include "core/es/gradient_strategy.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/es/search_loop.h"
#include "core/es/synthetic_problem.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Records every signal and halves sigma at each step (or sets `forced`).
class RecordingUpdater final : public Updater {
 public:
  // Every signal seen, in order.
  std::vector<SearchSignal> seen;
  // When not zero, the sigma it asks for instead of half the current one.
  double forced = 0.0;

  std::string Name() const override { return "recording"; }
  void Reset(const ParamLayout&) override { seen.clear(); }
  void Step(const SearchSignal& signal, Vec* theta, double* next_sigma) override {
    seen.push_back(signal);
    *theta += signal.nominal_step;
    *next_sigma = forced != 0.0 ? forced : 0.5 * signal.sigma;
  }
  void SaveState(BinaryWriter&) const override {}
  void LoadState(BinaryReader&) override {}
};

// The ARS estimator of `yaml` (type added).
std::unique_ptr<GradientEstimator> Ars(const std::string& yaml) {
  return MakeGradientEstimator(ConfigNode::FromString("type: ars\n" + yaml, "search.yaml"));
}

// A rotated 6-D ellipsoid.
SyntheticProblem Ellipsoid() {
  SyntheticSpec spec;
  spec.kind = SyntheticKind::kSphere;
  spec.dim = 6;
  spec.condition = 10.0;
  spec.rotate = true;
  spec.seed = 3;
  return SyntheticProblem(spec);
}

TEST_CASE("the updater sees the ascent, the nominal step, sigma, the returns and the progress") {
  auto updater = std::make_unique<RecordingUpdater>();
  RecordingUpdater& recorder = *updater;
  GradientStrategy strategy(Ars("directions: 4\ntop_directions: 2\nsigma: 0.1\nstep_size: 0.05"),
                            std::move(updater));
  SyntheticProblem problem = Ellipsoid();
  strategy.Reset(problem.Layout(), Vec::Ones(6));
  std::vector<Vec> xs;
  std::vector<double> best_by_iteration;
  for (int it = 0; it < 3; ++it) {
    strategy.Ask(9, static_cast<std::uint64_t>(it), &xs);
    REQUIRE(xs.size() == 8);
    // Candidates are theta +/- sigma eps with this iteration's sigma.
    CHECK((xs[0] + xs[1] - 2.0 * strategy.Theta()).norm() < 1e-12);
    const double spread = (xs[0] - strategy.Theta()).norm() / strategy.Sigma();
    CHECK(spread > 0.5);
    CHECK(spread < 6.0);
    std::vector<double> fitness(xs.size());
    problem.Evaluate(xs, fitness, nullptr);
    best_by_iteration.push_back(*std::max_element(fitness.begin(), fitness.end()));
    strategy.Tell(fitness, {}, 0.25 * it);

    const SearchSignal& s = recorder.seen.back();
    CHECK(s.iteration == it);
    CHECK(s.budget_fraction == 0.25 * it);
    CHECK(s.sigma == doctest::Approx(0.1 * std::pow(0.5, it)));
    CHECK(s.nominal_step == 0.05 * s.ascent);
    double mean = 0.0;
    for (double f : fitness) mean += f / fitness.size();
    double squares = 0.0;
    for (double f : fitness) squares += (f - mean) * (f - mean);
    CHECK(s.returns.mean == doctest::Approx(mean));
    CHECK(s.returns.spread == doctest::Approx(std::sqrt(squares / fitness.size())));
    CHECK(s.returns.best == best_by_iteration.back());
    CHECK(s.returns.best_so_far ==
          *std::max_element(best_by_iteration.begin(), best_by_iteration.end()));
    // Without task returns of its own the fitness is the task's score.
    CHECK(s.task_returns == fitness);
  }
  // The sigma the updater asked for is the next Ask's.
  CHECK(strategy.Sigma() == doctest::Approx(0.1 * 0.125));
}

TEST_CASE("the updater sees the task's own returns where the fitness is shaped") {
  auto updater = std::make_unique<RecordingUpdater>();
  RecordingUpdater& recorder = *updater;
  GradientStrategy strategy(Ars("directions: 2"), std::move(updater));
  strategy.Reset(ParamLayout::Flat(3), Vec::Zero(3));
  std::vector<Vec> xs;
  strategy.Ask(1, 0, &xs);
  const std::vector<double> fitness = {-5.0, -3.0, -4.0, -6.0};
  const std::vector<double> task = {95.0, 97.0, 96.0, 94.0};  // a shift of 100
  strategy.Tell(fitness, task, 0.0);
  CHECK(recorder.seen.back().task_returns == task);
  CHECK(recorder.seen.back().returns.mean == doctest::Approx(-4.5));
  strategy.Ask(1, 1, &xs);
  CHECK_THROWS_WITH_AS(strategy.Tell(fitness, std::vector<double>(3, 1.0), 0.0),
                       doctest::Contains("3 task returns for 4 fitness values"), Error);
}

TEST_CASE("a sigma that is not positive and finite is refused") {
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    auto updater = std::make_unique<RecordingUpdater>();
    updater->forced = bad;
    GradientStrategy strategy(Ars("directions: 2"), std::move(updater));
    strategy.Reset(ParamLayout::Flat(3), Vec::Zero(3));
    std::vector<Vec> xs;
    strategy.Ask(1, 0, &xs);
    CHECK_THROWS_WITH_AS(strategy.Tell(std::vector<double>(xs.size(), 1.0), {}, 0.0),
                         doctest::Contains("set the exploration sigma to"), Error);
  }
}

TEST_CASE("the nominal rule with ARS is SGD with lr = step_size, bit for bit") {
  const std::string search = "directions: 8\ntop_directions: 4\nsigma: 0.05\nstep_size: 0.03";
  GradientStrategy nominal(Ars(search),
                           MakeUpdater(ConfigNode::FromString("type: nominal", "o.yaml")));
  GradientStrategy sgd(Ars(search),
                       MakeUpdater(ConfigNode::FromString("type: sgd\nlr: 0.03", "o.yaml")));
  SyntheticProblem problem = Ellipsoid();
  const EsHistory a = RunEs(problem, nominal, Vec::Ones(6), 30, 4);
  const EsHistory b = RunEs(problem, sgd, Vec::Ones(6), 30, 4);
  CHECK(a.theta == b.theta);
  CHECK(problem.Loss(a.theta) < 0.5 * problem.Loss(Vec::Ones(6)));
}

TEST_CASE("a run whose sigma changed resumes exactly") {
  const auto make = [] {
    return GradientStrategy(Ars("directions: 4\nsigma: 0.2\nstep_size: 0.05"),
                            std::make_unique<RecordingUpdater>());
  };
  SyntheticProblem problem = Ellipsoid();
  GradientStrategy straight = make();
  SearchLoop loop(problem, straight, Vec::Ones(6), 5);
  for (int i = 0; i < 3; ++i) loop.Iterate();
  std::stringstream saved;
  BinaryWriter out(saved);
  loop.SaveState(out);
  for (int i = 0; i < 3; ++i) loop.Iterate();

  GradientStrategy resumed = make();
  SearchLoop resumed_loop(problem, resumed, Vec::Zero(6), 5);
  BinaryReader in(saved, "state");
  resumed_loop.LoadState(in);
  CHECK(resumed.Sigma() == doctest::Approx(0.2 * 0.125));
  for (int i = 0; i < 3; ++i) resumed_loop.Iterate();
  CHECK(resumed_loop.Theta() == loop.Theta());
  CHECK(resumed.Sigma() == straight.Sigma());
}

TEST_CASE("SummarizeReturns: mean, population spread, best") {
  const std::vector<double> fitness = {1.0, 3.0, -2.0, 6.0};
  const ReturnStats r = SummarizeReturns(fitness);
  CHECK(r.mean == 2.0);
  CHECK(r.spread == doctest::Approx(std::sqrt((1.0 + 1.0 + 16.0 + 16.0) / 4.0)));
  CHECK(r.best == 6.0);
  CHECK(r.best_so_far == 6.0);
  CHECK(SummarizeReturns({}).best == 0.0);
}

}  // namespace
}  // namespace mnemo
