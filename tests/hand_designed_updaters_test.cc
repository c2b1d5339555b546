// SGD, heavy-ball momentum and Adam: their formulas and config checks.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/io/config_node.h"
#include "core/optim/updater.h"
#include "tests/step_along.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

// The updater described by `yaml`, reset for `n` coordinates.
std::unique_ptr<Updater> Make(const std::string& yaml, int n = 3) {
  auto u = MakeUpdater(ConfigNode::FromString(yaml, "test.yaml"));
  u->Reset(ParamLayout::Flat(n));
  return u;
}

TEST_CASE("sgd: theta += lr * g") {
  auto u = Make("type: sgd\nlr: 0.5");
  Vec theta(3);
  theta << 1.0, 2.0, 3.0;
  StepAlong(*u, Vec::Constant(3, 2.0), &theta);
  CHECK(theta == Vec::LinSpaced(3, 2.0, 4.0));
}

TEST_CASE("nominal: theta += the estimator's step, as it is; it takes no keys") {
  Vec theta(3);
  theta << 1.0, 2.0, 3.0;
  Vec plain = theta;
  StepAlong(*Make("type: nominal"), Vec::Constant(3, 2.0), &plain);
  CHECK(plain == theta + Vec::Constant(3, 2.0 * testing::kTestSigma));
  CHECK_THROWS_WITH_AS(Make("type: nominal\ngain: 2"), doctest::Contains("gain"), Error);
}

TEST_CASE("momentum: v = mu v + g, theta += lr v") {
  auto u = Make("type: momentum\nlr: 0.1\nmomentum: 0.5");
  Vec theta = Vec::Zero(3);
  StepAlong(*u, Vec::Constant(3, 1.0), &theta);
  CHECK(theta[0] == doctest::Approx(0.1));
  StepAlong(*u, Vec::Constant(3, 1.0), &theta);
  CHECK(theta[0] == doctest::Approx(0.1 + 0.1 * 1.5));
}

TEST_CASE("adam: bias-corrected moments and decoupled weight decay") {
  auto u = Make("type: adam\nlr: 0.01");
  Vec theta = Vec::Zero(3);
  Vec g(3);
  g << 4.0, -0.001, 0.0;
  StepAlong(*u, g, &theta);
  // The first step of Adam is lr * g / (|g| + eps).
  CHECK(theta[0] == doctest::Approx(0.01));
  CHECK(theta[1] == doctest::Approx(-0.01).epsilon(1e-4));
  CHECK(theta[2] == 0.0);
  // Second step by hand.
  const double m = 0.9 * 0.1 * 4.0 + 0.1 * 2.0;
  const double v = 0.999 * 0.001 * 16.0 + 0.001 * 4.0;
  const double expected = 0.01 * 4.0 / (4.0 + 1e-8) +
                          0.01 * (m / (1 - 0.81)) / (std::sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
  StepAlong(*u, Vec::Constant(3, 2.0), &theta);
  CHECK(theta[0] == doctest::Approx(expected).epsilon(1e-12));

  // Decoupled decay shrinks theta by lr * wd: 2 (1 - 0.01) = 1.98. Coupled L2
  // (g - wd theta into the moments) would take a full first Adam step of
  // -lr instead and give 1.9.
  auto decayed = Make("type: adam\nlr: 0.1\nweight_decay: 0.1");
  Vec x = Vec::Constant(3, 2.0);
  StepAlong(*decayed, Vec::Zero(3), &x);
  CHECK(x[0] == doctest::Approx(1.98).epsilon(1e-12));
}

TEST_CASE("hand-designed updaters check their config keys") {
  CHECK_THROWS_AS(Make("type: sgd\nmomentum: 0.9"), Error);
  CHECK_THROWS_AS(Make("type: sgd\nlr: -1"), Error);
  CHECK_THROWS_AS(Make("type: momentum\nmomentum: 1.0"), Error);
  CHECK_THROWS_AS(Make("type: adam\nbeta2: 1.5"), Error);
  CHECK_THROWS_AS(Make("type: adam\nweights: x.mnw"), Error);
  CHECK_THROWS_AS(Make("type: rmsprop"), Error);
  CHECK_THROWS_WITH_AS(Make("type: adam\nbeta1: 2"), doctest::Contains("test.yaml:2: beta1"),
                       Error);
}

}  // namespace
}  // namespace mnemo
