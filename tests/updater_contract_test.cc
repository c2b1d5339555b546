// The contract every registered Updater keeps (SGD, momentum, Adam, LSTM,
// Mnemosyne, and any added later): deterministic, finite on zero and huge
// gradients, Reset clears the state, SaveState/LoadState resume exactly, and
// a step on a quadratic reduces it for a small enough scale.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "tests/step_along.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

// The exploration sigma of the contract's steps (a learned updater's unit).
constexpr double kSigma = 1e-3;

// Two tensors, so that tensor-wise features see more than one.
ParamLayout TestLayout() {
  ParamLayout layout;
  layout.Add("layer0.weight", 7, 3);
  layout.Add("layer0.bias", 5);
  return layout;
}

// The updater `name` with its default config.
std::unique_ptr<Updater> Make(const std::string& name) {
  auto u = MakeUpdater(ConfigNode::FromString("type: " + name, "contract"));
  u->Reset(TestLayout());
  return u;
}

// A reproducible gradient sequence.
std::vector<Vec> Gradients(int steps, std::uint64_t seed, double scale = 1.0) {
  Stream rng(seed);
  std::vector<Vec> out;
  for (int t = 0; t < steps; ++t) {
    Vec g(TestLayout().Size());
    for (auto& x : g) x = scale * rng.Normal();
    out.push_back(g);
  }
  return out;
}

// Runs `gradients` through `u` from `theta`.
Vec Run(Updater& u, Vec theta, const std::vector<Vec>& gradients) {
  for (const Vec& g : gradients) StepAlong(u, g, &theta, kSigma);
  return theta;
}

// f(theta) = 0.5 * sum c_i theta_i^2 with c_i in [0.5, 3].
struct Quadratic {
  Vec c;
  Quadratic() : c(TestLayout().Size()) {
    for (int i = 0; i < c.size(); ++i) c[i] = 0.5 + 2.5 * i / (c.size() - 1.0);
  }
  double Value(const Vec& theta) const { return 0.5 * (c.array() * theta.array().square()).sum(); }
  // The ascent direction of the fitness -f.
  Vec Ascent(const Vec& theta) const { return -(c.array() * theta.array()).matrix(); }
};

TEST_CASE("every registered updater keeps the updater contract") {
  const auto entries = Updaters().Entries();
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  for (const char* required :
       {"sgd", "nominal", "momentum", "adam", "lstm", "mnemosyne", "mnemosyne_coordinatewise"}) {
    CHECK(std::find(names.begin(), names.end(), required) != names.end());
  }
  const int dim = TestLayout().Size();
  const Vec theta0 = Vec::LinSpaced(dim, -1.0, 1.0);

  for (const std::string& name : names) {
    CAPTURE(name);
    auto u = Make(name);
    CHECK(u->Name() == name);

    // Deterministic: two instances, same inputs, bit-identical results.
    const auto gradients = Gradients(6, 42);
    const Vec a = Run(*u, theta0, gradients);
    const Vec b = Run(*Make(name), theta0, gradients);
    CHECK(a == b);
    CHECK(a != theta0);

    // Finite on zero gradients and on huge ones (and after them).
    {
      auto z = Make(name);
      const Vec after_zero = Run(*z, theta0, std::vector<Vec>(4, Vec::Zero(dim)));
      CHECK(after_zero.allFinite());
      std::vector<Vec> huge = Gradients(3, 7, 1e150);
      huge.push_back(Vec::Constant(dim, -1e150));
      for (const Vec& g : Gradients(3, 8)) huge.push_back(g);
      const Vec after_huge = Run(*z, after_zero, huge);
      CHECK(after_huge.allFinite());
    }

    // Reset clears the state: a used updater, reset, acts like a fresh one.
    {
      auto used = Make(name);
      Run(*used, theta0, Gradients(5, 99));
      used->Reset(TestLayout());
      const auto fresh_run = Gradients(4, 123);
      CHECK(Run(*used, theta0, fresh_run) == Run(*Make(name), theta0, fresh_run));
    }

    // SaveState / LoadState resume exactly.
    {
      auto first = Make(name);
      const Vec mid = Run(*first, theta0, Gradients(3, 5));
      std::stringstream state;
      BinaryWriter writer(state);
      first->SaveState(writer);
      auto second = Make(name);
      BinaryReader reader(state, "state");
      second->LoadState(reader);
      const auto rest = Gradients(3, 6);
      CHECK(Run(*first, mid, rest) == Run(*second, mid, rest));
    }

    // A step on a quadratic reduces it (default lr, or a step scale of
    // 1e-3 for learned updaters), from fresh and for each of the first steps.
    {
      const Quadratic f;
      for (std::uint64_t seed : {1, 2, 3}) {
        auto q = Make(name);
        Stream rng(seed);
        Vec theta(dim);
        for (auto& x : theta) x = rng.Normal();
        for (int t = 0; t < 5; ++t) {
          const double before = f.Value(theta);
          StepAlong(*q, f.Ascent(theta), &theta, kSigma);
          CHECK(f.Value(theta) < before);
        }
      }
    }

    // Inspection is off by default: nothing is drawn.
    CHECK(u->Inspect().panels.empty());

    // A vector of the wrong size is refused.
    Vec wrong = Vec::Zero(dim + 1);
    CHECK_THROWS_AS(StepAlong(*u, Vec::Zero(dim + 1), &wrong), Error);
  }
}

}  // namespace
}  // namespace mnemo
