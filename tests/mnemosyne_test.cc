// The Mnemosyne updater: its step against docs/MNEMOSYNE.md's definition computed
// naively, sane initialisation, thread-count independence,
// the flat meta-parameter vector, state size, inspection, the momentum
// features and config checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>

#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/mnemosyne/features.h"
#include "core/mnemosyne/mnemosyne_updater.h"
#include "core/mnemosyne/random_features.h"
#include "core/optim/coordinate_blocks.h"
#include "tests/step_along.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

// A Mnemosyne built from YAML text (after "type: mnemosyne_coordinatewise").
std::unique_ptr<MnemosyneUpdater> Make(const std::string& extra = "") {
  return MnemosyneUpdater::FromConfig(
      ConfigNode::FromString("type: mnemosyne_coordinatewise\n" + extra, "test.yaml"));
}

// A vector of N(0, scale^2) numbers.
Vec RandomVec(int n, std::uint64_t seed, double scale = 1.0) {
  Stream rng(seed);
  Vec v(n);
  for (auto& x : v) x = scale * rng.Normal();
  return v;
}

// A layout of three tensors totalling `size` coordinates.
ParamLayout ThreeTensors(int size) {
  ParamLayout layout;
  layout.Add("a.weight", size / 2);
  layout.Add("a.bias", size / 4);
  layout.Add("b.weight", size - size / 2 - size / 4);
  return layout;
}

TEST_CASE("untrained Mnemosyne takes small steps along the gradient") {
  auto u = Make();
  const int n = 200;
  u->Reset(ThreeTensors(n));
  const Vec g = RandomVec(n, 1);
  Vec theta = Vec::Zero(n);
  StepAlong(*u, g, &theta);
  for (int j = 0; j < n; ++j) {
    CHECK(theta[j] * g[j] > 0.0);       // along the gradient
    CHECK(std::abs(theta[j]) < 0.02);   // at most 2 * scale
    CHECK(std::abs(theta[j]) > 0.001);  // but a real step
  }
  // After it, a zero gradient still moves along the remembered gradients
  // (the memories act as a momentum), by less than the first step.
  Vec coasting = theta;
  StepAlong(*u, Vec::Zero(n), &coasting);
  const Vec coast_step = coasting - theta;
  CHECK(coast_step.dot(theta) > 0.0);
  CHECK(coast_step.norm() < theta.norm());
  // From a fresh state, a zero gradient gives no step.
  u->Reset(ThreeTensors(n));
  Vec still = Vec::Zero(n);
  StepAlong(*u, Vec::Zero(n), &still);
  CHECK(still.norm() == 0.0);

  // On a noisy quadratic it makes steady progress.
  u->Reset(ThreeTensors(n));
  Vec x = RandomVec(n, 2);
  const auto f = [](const Vec& v) { return 0.5 * v.squaredNorm(); };
  const double start = f(x);
  for (int t = 0; t < 60; ++t) {
    StepAlong(*u, -x + RandomVec(n, 100 + t, 0.3), &x);
  }
  CHECK(f(x) < 0.5 * start);
  CHECK(x.allFinite());
}

// Reads consecutive blocks out of a flat meta-parameter vector, in the order
// of MnemosyneParams::VisitBlocks (matrices row by row).
class FlatReader {
 public:
  explicit FlatReader(const Vec& flat) : flat_(flat) {}
  // The next rows x cols matrix.
  Mat Next(int rows, int cols) {
    Mat m(rows, cols);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) m(r, c) = flat_[next_++];
    }
    return m;
  }
  // Numbers read so far.
  int Used() const { return next_; }

 private:
  const Vec& flat_;
  int next_ = 0;
};

TEST_CASE(
    "a step equals the definition of docs/MNEMOSYNE.md, with attention summed over the whole "
    "history") {
  // Small sizes, random meta-parameters, two heads with their own discounts.
  constexpr int kEmbed = 5, kKey = 3, kValue = 2, kFeatures = 6, kWidth = 4, kHeads = 2;
  constexpr double kScale = 0.01, kMagnitude = 0.7, kP = 10.0, kEps = 1e-6;
  const std::vector<double> discounts = {0.8, 0.95};
  auto u = Make(
      "features: log_sign\nembed_dim: 5\nheads: 2\nrandom_features: 6\nkey_dim: 3\n"
      "value_dim: 2\ndiscounts: [0.8, 0.95]\ndecoder_widths: [4]\nmagnitude_scale: 0.7\n"
      "random_feature_kind: iid\nrandom_feature_seed: 9\nthreads: 1");
  const Vec meta = RandomVec(u->MetaParamCount(), 5, 0.6);
  u->SetMetaParams(meta);
  FlatReader read(meta);
  const Mat embed_w = read.Next(kEmbed, 2);
  const Mat embed_b = read.Next(kEmbed, 1);
  std::vector<Mat> key, query, value;
  for (int h = 0; h < kHeads; ++h) {
    key.push_back(read.Next(kKey, kEmbed));
    query.push_back(read.Next(kKey, kEmbed));
    value.push_back(read.Next(kValue, kEmbed));
  }
  const int decoder_in = kEmbed + kHeads * kValue;
  const Mat hidden_w = read.Next(kWidth, decoder_in);
  const Mat hidden_b = read.Next(kWidth, 1);
  const Mat out_w = read.Next(2, kWidth);
  const Mat out_b = read.Next(2, 1);
  REQUIRE(read.Used() == u->MetaParamCount());
  // phi of each head: the stored seed, the head as the stream index.
  std::vector<RandomFeatures> phi;
  for (int h = 0; h < kHeads; ++h) {
    phi.emplace_back(kKey, kFeatures, RandomFeatureKind::kIid, 9, h);
  }

  const int n = 7;
  ParamLayout layout;
  layout.Add("w", n);
  u->Reset(layout);
  // The viewer's attention panel of coordinate 3 must show the same weights.
  u->SetInspection(true);
  u->SetInspectionFocus({3});
  std::vector<Vec> attention_of_3(kHeads);
  Vec theta = RandomVec(n, 6);
  // Per coordinate and head: every past phi(k_i) and v_i.
  std::vector<std::vector<std::vector<std::pair<Vec, Vec>>>> history(
      n, std::vector<std::vector<std::pair<Vec, Vec>>>(kHeads));
  for (int t = 1; t <= 6; ++t) {
    // Gradients spanning both branches of the log-sign encoding.
    Vec g = RandomVec(n, 100 + t);
    g[0] = 1e-6 * t;
    g[1] = -3e-5;
    Vec expected = theta;
    for (int j = 0; j < n; ++j) {
      // 1. Features: Andrychowicz et al.'s log-magnitude and sign.
      Eigen::Vector2d x;
      if (std::abs(g[j]) >= std::exp(-kP)) {
        x << std::log(std::abs(g[j])) / kP, (g[j] > 0 ? 1.0 : -1.0);
      } else {
        x << -1.0, std::exp(kP) * g[j];
      }
      // 2. Embedding.
      const Vec e = (embed_w * x + embed_b.col(0)).array().tanh().matrix();
      Vec decoder_input(decoder_in);
      decoder_input.head(kEmbed) = e;
      for (int h = 0; h < kHeads; ++h) {
        // 3-4. Key, query, value; random features.
        const Vec phi_k = phi[h].Map(Vec(key[h] * e));
        const Vec phi_q = phi[h].Map(Vec(query[h] * e));
        history[j][h].push_back({phi_k, value[h] * e});
        // 5-6. Discounted attention of the query over every key so far
        // (this one included), normalized as the read-out.
        Vec numerator = Vec::Zero(kValue);
        double denominator = kEps;
        const int steps = static_cast<int>(history[j][h].size());
        Vec weights(steps);
        for (int i = 0; i < steps; ++i) {
          weights[i] = std::pow(discounts[h], steps - 1 - i) * phi_q.dot(history[j][h][i].first);
          numerator += weights[i] * history[j][h][i].second;
          denominator += weights[i];
        }
        decoder_input.segment(kEmbed + h * kValue, kValue) = numerator / denominator;
        if (j == 3) attention_of_3[h] = weights / denominator;
      }
      // 7. Decoder and the step.
      const Vec hidden = (hidden_w * decoder_input + hidden_b.col(0)).array().tanh().matrix();
      const Vec ab = out_w * hidden + out_b.col(0);
      expected[j] += kScale * ab[0] * std::exp(std::clamp(kMagnitude * ab[1], -30.0, 30.0));
    }
    StepAlong(*u, g, &theta, kScale);
    CAPTURE(t);
    for (int j = 0; j < n; ++j) {
      CHECK(theta[j] == doctest::Approx(expected[j]).epsilon(1e-11));
    }
    const UpdaterView view = u->Inspect();
    for (int h = 0; h < kHeads; ++h) {
      const std::string name = "head" + std::to_string(h) + ".attention[w#3]";
      const auto panel = std::find_if(view.panels.begin(), view.panels.end(),
                                      [&](const auto& p) { return p.name == name; });
      REQUIRE_MESSAGE(panel != view.panels.end(), name);
      REQUIRE(panel->values.size() == t);
      for (int i = 0; i < t; ++i) {
        CHECK(panel->values(i) == doctest::Approx(attention_of_3[h][i]).epsilon(1e-11));
      }
    }
    theta = expected;  // the next step starts from the same point either way
  }
}

TEST_CASE("results do not depend on the number of threads") {
  const int n = kParallelMinSize + 3000;  // large enough to go parallel
  auto one = Make("threads: 1");
  auto three = Make("threads: 3");
  one->Reset(ThreeTensors(n));
  three->Reset(ThreeTensors(n));
  Vec a = Vec::Zero(n), b = Vec::Zero(n);
  for (int t = 0; t < 3; ++t) {
    const Vec g = RandomVec(n, 10 + t);
    StepAlong(*one, g, &a);
    StepAlong(*three, g, &b);
  }
  CHECK(a == b);
  std::stringstream sa, sb;
  BinaryWriter wa(sa), wb(sb);
  one->SaveState(wa);
  three->SaveState(wb);
  CHECK(sa.str() == sb.str());
}

TEST_CASE("meta-parameters form one flat vector") {
  auto u = Make();
  const MnemosyneArchitecture& arch = u->Architecture();
  const int f = arch.features.Count();
  const int d = arch.embed_dim;
  const int expected = (d * f + d) + arch.heads * (2 * arch.key_dim + arch.value_dim) * d +
                       (arch.DecoderInputs() * 16 + 16) + (16 * 2 + 2);
  CHECK(u->MetaParamCount() == expected);
  CHECK(u->MetaLayout().Size() == expected);
  CHECK(u->MetaLayout().Tensors().front().name == "embed.weight");

  const Vec original = u->MetaParams();
  const Vec changed = original + RandomVec(expected, 3, 0.01);
  u->SetMetaParams(changed);
  CHECK(u->MetaParams() == changed);
  CHECK_THROWS_AS(u->SetMetaParams(Vec::Zero(expected - 1)), Error);

  // Other meta-parameters change the steps.
  auto reference = Make();
  u->Reset(ParamLayout::Flat(10));
  reference->Reset(ParamLayout::Flat(10));
  Vec a = Vec::Zero(10), b = Vec::Zero(10);
  StepAlong(*u, Vec::LinSpaced(10, -1, 1), &a);
  StepAlong(*reference, Vec::LinSpaced(10, -1, 1), &b);
  CHECK(a != b);
}

TEST_CASE("state stays within 200 numbers per coordinate") {
  auto u = Make();
  CHECK(u->Architecture().StateNumbersPerCoordinate() <= 200);
  const int n = 1000;
  u->Reset(ParamLayout::Flat(n));
  std::stringstream state;
  BinaryWriter writer(state);
  u->SaveState(writer);
  const double per_coordinate = static_cast<double>(state.str().size()) / n;
  CHECK(per_coordinate < 8.0 * u->Architecture().StateNumbersPerCoordinate() + 1);
  CHECK(per_coordinate >= 8.0 * u->Architecture().StateNumbersPerCoordinate());
}

TEST_CASE("inspection shows memories, attention and step norms") {
  auto u = Make("inspect_history: 4");
  const ParamLayout layout = ThreeTensors(40);
  u->Reset(layout);
  Vec theta = Vec::Zero(40);
  StepAlong(*u, RandomVec(40, 1), &theta);
  UpdaterView off = u->Inspect();
  CHECK(off.panels.empty());
  CHECK(off.iteration == 1);
  CHECK(off.discounts == u->Architecture().discounts);

  u->SetInspection(true);
  u->SetInspectionFocus({3, 25});
  Vec before = theta;
  for (int t = 0; t < 6; ++t) {
    before = theta;
    StepAlong(*u, RandomVec(40, 2 + t), &theta);
  }
  const UpdaterView view = u->Inspect();
  CHECK(view.kind == "mnemosyne_coordinatewise");
  CHECK(view.iteration == 7);
  const int m = u->Architecture().random_features;
  int memories = 0, attentions = 0;
  for (const auto& panel : view.panels) {
    if (panel.name.find(".S[a.weight#3]") != std::string::npos) {
      ++memories;
      CHECK(panel.values.rows() == m);
      CHECK(panel.values.cols() == u->Architecture().value_dim);
    }
    if (panel.name.find(".attention[") != std::string::npos) {
      ++attentions;
      CHECK(panel.values.rows() == 4);  // the last K = 4 keys
      CHECK((panel.values.array() >= 0.0).all());
      CHECK(panel.values.sum() <= 1.0 + 1e-12);
    }
  }
  CHECK(memories == 2);    // one per head
  CHECK(attentions == 4);  // two coordinates x two heads
  // The memory panel is the memory itself.
  CHECK(view.panels.front().values == u->Memory(0).MatrixOf(3));

  // With discount 0.9 and near-uniform keys, the newest key weighs most.
  const auto attention =
      std::find_if(view.panels.begin(), view.panels.end(),
                   [](const auto& panel) { return panel.name == "head0.attention[a.weight#3]"; });
  REQUIRE(attention != view.panels.end());
  CHECK(attention->values(3) > attention->values(0));
  // Per-tensor step magnitudes of the last step.
  REQUIRE(view.tensor_names.size() == 3);
  CHECK(view.tensor_names[1] == "a.bias");
  const Vec step = theta - before;
  CHECK(view.tensor_step_norms[0] == doctest::Approx(step.head(20).norm()).epsilon(1e-12));
  CHECK(view.tensor_step_norms[1] == doctest::Approx(step.segment(20, 10).norm()).epsilon(1e-12));
}

TEST_CASE("features stay finite on extreme gradients") {
  auto u = Make();
  u->Reset(ParamLayout::Flat(6));
  Vec theta = Vec::Zero(6);
  Vec g(6);
  g << 0.0, 1e-300, -1e300, 1e300, 5e-324, -1e-8;
  for (int t = 0; t < 5; ++t) StepAlong(*u, g, &theta);
  CHECK(theta.allFinite());
  CHECK(std::abs(theta[0]) < 1e-300);  // a zero gradient stays put
}

TEST_CASE("bad Mnemosyne configs are refused at the key") {
  const auto error_of = [](const std::string& yaml) -> std::string {
    try {
      Make(yaml);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of("random_features: 15").find("random_features") != std::string::npos);
  CHECK(error_of("heads: 3\ndiscounts: [0.9, 0.99]").find("discounts") != std::string::npos);
  CHECK(error_of("discounts: [0.9, 1.5]").find("out of range") != std::string::npos);
  CHECK(error_of("features: log_sign,colour").find("colour") != std::string::npos);
  CHECK(error_of("features: tensor,time").find("features") != std::string::npos);
  CHECK(error_of("lr: 0.1").find("lr") != std::string::npos);
  // Without explicit discounts, H heads spread from 0.9 to 0.99.
  const auto three = Make("heads: 3");
  REQUIRE(three->Architecture().discounts.size() == 3);
  CHECK(three->Architecture().discounts.front() == doctest::Approx(0.9));
  CHECK(three->Architecture().discounts.back() == doctest::Approx(0.99));
  // Architectures without some feature groups still run.
  auto plain = Make("features: log_sign\ndecoder_widths: []");
  plain->Reset(ParamLayout::Flat(5));
  Vec theta = Vec::Zero(5);
  const Vec g = Vec::LinSpaced(5, -1.0, 1.0);
  StepAlong(*plain, g, &theta);
  CHECK(theta.allFinite());
  CHECK(theta[4] > 0.0);
  CHECK(theta[0] < 0.0);
}

TEST_CASE("momentum features tell a steady gradient from noise") {
  // Columns with "rms,momentum": g/RMS, then mean_0.9/RMS and mean_0.99/RMS.
  const FeatureSet set = FeatureSet::Parse("rms,momentum");
  REQUIRE(set.Count() == 3);
  CHECK(set.ToString() == "rms,momentum");  // what a weights file records
  CHECK(set.StateNumbersPerCoordinate() == 3);
  CoordinateFeatures features(set, 0.99, 10.0);
  features.Reset(2);
  const CoordinateBlock block{0, 0, 2};
  Vec normalized = Vec::Zero(2);
  Mat x;
  // Coordinate 0 sees a steady gradient 2, coordinate 1 flips sign each step.
  double fast = 0.0, slow = 0.0, square = 0.0;
  for (int t = 1; t <= 30; ++t) {
    const double flip = t % 2 == 0 ? 3.0 : -3.0;
    Vec g(2);
    g << 2.0, flip;
    features.Normalize(block, g, t, &normalized);
    features.Assemble(block, g, normalized, 0.0, 0.0, t, &x);
    // The hand-computed features of the flipping coordinate.
    fast = 0.9 * fast + 0.1 * flip;
    slow = 0.99 * slow + 0.01 * flip;
    square = 0.99 * square + 0.01 * flip * flip;
    const double rms = std::sqrt(square / (1.0 - std::pow(0.99, t)));
    CHECK(x(1, 1) == doctest::Approx(fast / (1.0 - std::pow(0.9, t)) / rms).epsilon(1e-12));
    CHECK(x(1, 2) == doctest::Approx(slow / (1.0 - std::pow(0.99, t)) / rms).epsilon(1e-12));
    // A steady gradient: both means equal the RMS.
    CHECK(x(0, 0) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(x(0, 1) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(x(0, 2) == doctest::Approx(1.0).epsilon(1e-12));
  }
  // Noise averages out in the means: the flipping coordinate's are small.
  CHECK(std::abs(x(1, 1)) < 0.06);
  CHECK(std::abs(x(1, 2)) < 0.06);
  CHECK(std::abs(x(1, 0)) == doctest::Approx(1.0).epsilon(1e-12));

  // The updater with momentum features saves and resumes exactly.
  auto first = Make("features: log_sign,rms,tensor,momentum");
  CHECK(first->Architecture().StateNumbersPerCoordinate() ==
        Make("features: log_sign,rms,tensor")->Architecture().StateNumbersPerCoordinate() + 2);
  first->Reset(ThreeTensors(30));
  Vec theta = Vec::Zero(30);
  for (int t = 0; t < 4; ++t) StepAlong(*first, RandomVec(30, 40 + t), &theta);
  std::stringstream state;
  BinaryWriter writer(state);
  first->SaveState(writer);
  auto second = Make("features: log_sign,rms,tensor,momentum");
  second->Reset(ThreeTensors(30));
  BinaryReader reader(state, "state");
  second->LoadState(reader);
  Vec a = theta, b = theta;
  for (int t = 0; t < 3; ++t) {
    StepAlong(*first, RandomVec(30, 50 + t), &a);
    StepAlong(*second, RandomVec(30, 50 + t), &b);
  }
  CHECK(a == b);
  CHECK(a != theta);
}

}  // namespace
}  // namespace mnemo
