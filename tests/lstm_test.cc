// The LSTM learned optimizer of Andrychowicz et al.: preprocessing, sizes,
// and its sane initialisation.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/optim/coordinate_blocks.h"
#include "core/optim/gradient_preprocessing.h"
#include "core/optim/lstm_updater.h"
#include "tests/step_along.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

TEST_CASE("the log-magnitude/sign preprocessing of Andrychowicz et al.") {
  Vec g(5);
  g << 2.0, -1e-3, 0.0, 1e-6, -1e300;
  Mat out(5, 2);
  LogSignEncode(g, 10.0, out, 0);
  CHECK(out(0, 0) == doctest::Approx(std::log(2.0) / 10.0));
  CHECK(out(0, 1) == 1.0);
  CHECK(out(1, 0) == doctest::Approx(std::log(1e-3) / 10.0));
  CHECK(out(1, 1) == -1.0);
  CHECK(out(2, 0) == -1.0);  // below e^-10: (-1, e^10 g)
  CHECK(out(2, 1) == 0.0);
  CHECK(out(3, 0) == -1.0);
  CHECK(out(3, 1) == doctest::Approx(std::exp(10.0) * 1e-6));
  CHECK(out.allFinite());
}

TEST_CASE("two layers of 20 units and a linear output") {
  auto u = LstmUpdater::FromConfig(ConfigNode::FromString("type: lstm", "t"));
  // Per layer 4h(in + h) + 4h, then h + 1 output numbers.
  CHECK(u->MetaParamCount() == (80 * 2 + 80 * 20 + 80) + (80 * 20 + 80 * 20 + 80) + 21);
  CHECK(u->Architecture().layers == 2);
  CHECK(u->Architecture().hidden == 20);
}

TEST_CASE("LSTM results do not depend on the number of threads") {
  const int n = kParallelMinSize + 3000;  // large enough to go parallel
  auto one = LstmUpdater::FromConfig(ConfigNode::FromString("type: lstm\nthreads: 1", "t"));
  auto three = LstmUpdater::FromConfig(ConfigNode::FromString("type: lstm\nthreads: 3", "t"));
  one->Reset(ParamLayout::Flat(n));
  three->Reset(ParamLayout::Flat(n));
  Vec a = Vec::Zero(n), b = Vec::Zero(n);
  for (int t = 0; t < 3; ++t) {
    Stream rng(10 + t);
    Vec g(n);
    for (double& x : g) x = rng.Normal();
    StepAlong(*one, g, &a);
    StepAlong(*three, g, &b);
  }
  CHECK(a == b);
  CHECK(a.cwiseAbs().minCoeff() > 0.0);  // every coordinate moved
  std::stringstream sa, sb;
  BinaryWriter wa(sa), wb(sb);
  one->SaveState(wa);
  three->SaveState(wb);
  CHECK(sa.str() == sb.str());
}

TEST_CASE("untrained LSTM steps about scale * sign(g)") {
  auto u = LstmUpdater::FromConfig(ConfigNode::FromString("type: lstm", "t"));
  u->Reset(ParamLayout::Flat(6));
  Vec g(6);
  g << 1.0, -3.0, 1e-3, -1e3, 0.2, -0.5;
  Vec theta = Vec::Zero(6);
  for (int t = 0; t < 3; ++t) {
    const Vec before = theta;
    StepAlong(*u, g, &theta);
    const Vec step = (theta - before) / 0.01;
    for (int j = 0; j < 6; ++j) {
      CHECK(step[j] * g[j] > 0.0);
      CHECK(std::abs(std::abs(step[j]) - 1.0) < 0.05);
    }
  }
  // A zero gradient gives no step.
  u->Reset(ParamLayout::Flat(6));
  Vec still = Vec::Zero(6);
  StepAlong(*u, Vec::Zero(6), &still);
  CHECK(still.norm() < 1e-12);
}

TEST_CASE("LSTM inspection shows hidden states and step norms") {
  auto u = LstmUpdater::FromConfig(ConfigNode::FromString("type: lstm", "t"));
  u->SetInspectionFocus({4});  // before Reset: kept for the layout
  ParamLayout layout;
  layout.Add("w", 3, 2);
  layout.Add("b", 2);
  u->Reset(layout);
  Vec theta = Vec::Zero(8);
  StepAlong(*u, Vec::Constant(8, 1.0), &theta);
  CHECK(u->Inspect().panels.empty());
  u->SetInspection(true);
  const Vec before = theta;
  StepAlong(*u, Vec::LinSpaced(8, -1.0, 1.0), &theta);
  const UpdaterView view = u->Inspect();
  CHECK(view.iteration == 2);
  REQUIRE(view.panels.size() == 2);  // one per layer
  CHECK(view.panels[0].name == "lstm0.h[w#4]");
  CHECK(view.panels[0].values.rows() == 20);
  REQUIRE(view.tensor_step_norms.size() == 2);
  CHECK(view.tensor_step_norms[1] ==
        doctest::Approx((theta - before).tail(2).norm()).epsilon(1e-12));
}

}  // namespace
}  // namespace mnemo
