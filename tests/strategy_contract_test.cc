// The contract every search method keeps (the gradient estimators ARS and
// OpenAI-ES stepped by an updater, CMA-ES, and any added later): Tell moves
// theta, deterministic, finite, SaveState/LoadState resume exactly (also
// between Ask and Tell), and misuse (wrong sizes, Tell without Ask) is a
// clear Error.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/es/gradient_estimator.h"
#include "core/es/search_method_list.h"
#include "core/es/strategy.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

constexpr int kDim = 6;              // search dimension
constexpr std::uint64_t kSeed = 11;  // the runs' seed

// The search method `name` with its default config (gradient estimators
// stepped by SGD), started at zero for kDim parameters.
std::unique_ptr<Strategy> Make(const std::string& name) {
  auto s = MakeStrategy(ConfigNode::FromString("type: " + name, "search"),
                        ConfigNode::FromString("type: sgd\nlr: 0.01", "optimizer"));
  s->Reset(ParamLayout::Flat(kDim), Vec::Zero(kDim));
  return s;
}

// A fresh strategy `name` that loaded what `s` saved.
std::unique_ptr<Strategy> Restored(const Strategy& s, const std::string& name) {
  std::stringstream bytes;
  BinaryWriter out(bytes);
  s.SaveState(out);
  auto restored = Make(name);
  BinaryReader in(bytes, "state");
  restored->LoadState(in);
  return restored;
}

// Fitness to maximise: minus the squared distance to (1, 2, ..., kDim).
double Fitness(const Vec& x) { return -(x - Vec::LinSpaced(kDim, 1.0, kDim)).squaredNorm(); }

// The fitness of each candidate.
std::vector<double> FitnessOf(const std::vector<Vec>& xs) {
  std::vector<double> fitness;
  for (const Vec& x : xs) fitness.push_back(Fitness(x));
  return fitness;
}

// Iterations [first, last) of a search: ask, evaluate, tell. Returns theta.
Vec Search(Strategy& s, int first, int last) {
  for (int it = first; it < last; ++it) {
    std::vector<Vec> xs;
    s.Ask(kSeed, static_cast<std::uint64_t>(it), &xs);
    const Vec before = s.Theta();
    const StrategyStep step = s.Tell(FitnessOf(xs), {}, 0.0);
    REQUIRE(s.Theta().size() == kDim);
    REQUIRE(s.Theta().allFinite());
    CHECK(step.step_norm == (s.Theta() - before).norm());
    CHECK(std::isfinite(step.ascent_norm));
  }
  return s.Theta();
}

TEST_CASE("every search method keeps the strategy contract") {
  const auto methods = SearchMethodDescriptions();
  REQUIRE(methods.size() >= 3);
  for (const auto& method : methods) {
    const std::string& name = method.first;
    CAPTURE(name);
    auto s = Make(name);
    CHECK(s->Name().rfind(name, 0) == 0);
    CHECK((s->StepUpdater() != nullptr) == SearchUsesUpdater(name));

    // Tell moves theta toward better fitness.
    const Vec once = Search(*s, 0, 6);
    CHECK(Fitness(once) > Fitness(Vec::Zero(kDim)));

    // Deterministic: two fresh strategies give the same search, bit for bit.
    CHECK(Search(*Make(name), 0, 6) == once);

    // Exact resume: save after 3 iterations, load into a fresh one, finish.
    auto first_half = Make(name);
    Search(*first_half, 0, 3);
    CHECK(Search(*Restored(*first_half, name), 3, 6) == once);

    // A state saved between Ask and Tell, after some adaptation, resumes the
    // pending sample.
    auto pending = Make(name);
    Search(*pending, 0, 3);
    std::vector<Vec> asked;
    pending->Ask(kSeed, 3, &asked);
    auto restored = Restored(*pending, name);
    restored->Tell(FitnessOf(asked), {}, 0.0);
    pending->Tell(FitnessOf(asked), {}, 0.0);
    CHECK(restored->Theta() == pending->Theta());

    // Misuse is an Error, not a crash.
    auto fresh = Make(name);
    CHECK_THROWS_AS(fresh->Tell(std::vector<double>(4, 0.0), {}, 0.0), Error);
    CHECK_THROWS_AS(fresh->Reset(ParamLayout::Flat(kDim), Vec::Zero(kDim + 1)), Error);
    std::vector<Vec> xs;
    fresh->Ask(kSeed, 0, &xs);
    REQUIRE(!xs.empty());
    CHECK_THROWS_AS(fresh->Tell(std::vector<double>(xs.size() + 1, 0.0), {}, 0.0), Error);
  }
}

TEST_CASE("gradient estimators refuse a theta of the wrong size") {
  for (const auto& entry : GradientEstimators().Entries()) {
    CAPTURE(entry.name);
    auto e = MakeGradientEstimator(ConfigNode::FromString("type: " + entry.name, "search"));
    e->Reset(kDim);
    std::vector<Vec> xs;
    CHECK_THROWS_AS(e->Ask(Vec::Zero(kDim + 1), e->InitialSigma(), kSeed, 0, &xs), Error);
  }
}

TEST_CASE("an unknown search method is an error at `type` that lists the known ones") {
  const ConfigNode search = ConfigNode::FromString("type: arz", "cfg.yaml");
  CHECK_THROWS_WITH_AS(
      MakeStrategy(search, ConfigNode::FromString("type: sgd", "cfg.yaml")),
      doctest::Contains("unknown search method 'arz' (known: ars, cma_es, openai_es)"), Error);
}

}  // namespace
}  // namespace mnemo
