// The contract every registered Estimator keeps (ARS, OpenAI-ES, CMA-ES, and
// any added later): deterministic, finite, SaveState/LoadState resume
// exactly (also between Ask and Tell), and misuse (wrong sizes, Tell without
// Ask) is a clear Error.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/es/estimator.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/io/error.h"

namespace mnemo {
namespace {

constexpr int kDim = 6;              // search dimension
constexpr std::uint64_t kSeed = 11;  // the runs' seed

// The estimator `name` with its default config, sized for kDim.
std::unique_ptr<Estimator> Make(const std::string& name) {
  auto e = MakeEstimator(ConfigNode::FromString("type: " + name, "contract"));
  e->Reset(kDim);
  return e;
}

// A fresh estimator `name` that loaded what `e` saved.
std::unique_ptr<Estimator> Restored(const Estimator& e, const std::string& name) {
  std::stringstream bytes;
  BinaryWriter out(bytes);
  e.SaveState(out);
  auto restored = Make(name);
  BinaryReader in(bytes, "state");
  restored->LoadState(in);
  return restored;
}

// Fitness to maximise: minus the squared distance to (1, 2, ..., kDim).
double Fitness(const Vec& x) { return -(x - Vec::LinSpaced(kDim, 1.0, kDim)).squaredNorm(); }

// Iterations [first, last) of a search from `theta`: ask, evaluate, tell,
// step (the estimator's own step, or a small multiple of the ascent).
Vec Search(Estimator& e, Vec theta, int first, int last) {
  for (int it = first; it < last; ++it) {
    std::vector<Vec> xs;
    e.Ask(theta, kSeed, static_cast<std::uint64_t>(it), &xs);
    std::vector<double> fitness;
    for (const Vec& x : xs) fitness.push_back(Fitness(x));
    const Vec g = e.Tell(fitness);
    REQUIRE(g.size() == kDim);
    REQUIRE(g.allFinite());
    theta += e.OwnsStep() ? g : 0.01 * g;
  }
  return theta;
}

TEST_CASE("every registered estimator keeps the contract") {
  const auto& entries = EstimatorRegistry::Instance().Entries();
  REQUIRE(entries.size() >= 3);
  for (const auto& entry : entries) {
    const std::string& name = entry.name;
    CAPTURE(name);
    auto e = Make(name);
    CHECK(e->Name() == name);
    CHECK(e->Sigma() > 0.0);

    // Deterministic: two fresh estimators give the same search, bit for bit.
    const Vec start = Vec::Zero(kDim);
    const Vec once = Search(*e, start, 0, 6);
    CHECK(Search(*Make(name), start, 0, 6) == once);

    // Exact resume: save after 3 iterations, load into a fresh one, finish.
    auto first_half = Make(name);
    const Vec middle = Search(*first_half, start, 0, 3);
    CHECK(Search(*Restored(*first_half, name), middle, 3, 6) == once);

    // A state saved between Ask and Tell, after some adaptation, resumes the
    // pending sample.
    auto pending = Make(name);
    Search(*pending, start, 0, 3);
    std::vector<Vec> asked;
    pending->Ask(middle, kSeed, 3, &asked);
    std::vector<double> asked_fitness;
    for (const Vec& x : asked) asked_fitness.push_back(Fitness(x));
    auto restored = Restored(*pending, name);
    CHECK(restored->Tell(asked_fitness) == pending->Tell(asked_fitness));

    // Misuse is an Error, not a crash.
    auto fresh = Make(name);
    CHECK_THROWS_AS(fresh->Tell(std::vector<double>(4, 0.0)), Error);
    std::vector<Vec> xs;
    CHECK_THROWS_AS(fresh->Ask(Vec::Zero(kDim + 1), kSeed, 0, &xs), Error);
    fresh->Ask(start, kSeed, 0, &xs);
    REQUIRE(!xs.empty());
    CHECK_THROWS_AS(fresh->Tell(std::vector<double>(xs.size() + 1, 0.0)), Error);
  }
}

}  // namespace
}  // namespace mnemo
