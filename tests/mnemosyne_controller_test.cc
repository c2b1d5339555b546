// Mnemosyne v2 (the anchored controller): untrained it is ARS V2-t bit for
// bit; trained or not, its steps and sigma stay finite and within their
// bounds whatever the signal holds; exact resume; centred gains; sigma as a
// level; the run path alone; LSTM memories in place of FAVOR+; its weights
// file, and the v1 file next to it.
#include "core/mnemosyne/mnemosyne_controller.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "apps/lib/training/train_config.h"
#include "apps/lib/training/trainer.h"
#include "core/io/binary_io.h"
#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/util/error.h"
#include "policies/policy_file.h"
#include "tests/run_folder_files.h"
#include "tests/test_files.h"

namespace mnemo {
namespace {

using testing::RowsWithoutWallTime;
using testing::Slurp;
using testing::TempDir;

// An untrained controller.
std::unique_ptr<MnemosyneController> Untrained() {
  return MnemosyneController::FromConfig(ConfigNode::FromString("type: mnemosyne", "opt"));
}

// A controller (`settings`: YAML lines after the type) with random
// meta-parameters of standard deviation `scale` (its output layers too: far
// from the neutral start).
std::unique_ptr<MnemosyneController> Random(double scale, std::uint64_t seed,
                                            const std::string& settings = "") {
  auto c = MnemosyneController::FromConfig(
      ConfigNode::FromString("type: mnemosyne\n" + settings, "opt"));
  Vec p(c->MetaParamCount());
  Stream rng(seed);
  for (double& x : p) x = scale * rng.Normal();
  c->SetMetaParams(p);
  return c;
}

// Two tensors.
ParamLayout Layout() {
  ParamLayout layout;
  layout.Add("weight", 4, 3);
  layout.Add("bias", 4);
  return layout;
}

// A signal of `n` coordinates drawn from `rng`, with returns `mean`, `spread`.
SearchSignal RandomSignal(int n, Stream& rng, double mean, double spread, double scale = 1.0) {
  SearchSignal s;
  s.ascent = Vec(n);
  for (double& x : s.ascent) x = scale * rng.Normal();
  s.nominal_step = 0.02 * s.ascent;
  s.sigma = 0.03;
  s.returns = {mean, spread, mean + 2.0 * spread, mean + 3.0 * spread};
  return s;
}

// Steps `updater` beside nominal_adaptive for 60 iterations of random
// signals from `seed` whose mean falls to -500 every `fall_every`th one (so
// that the anchor's collapses, theta taken back, happen too); requires the
// same theta after every step, and sigma kept.
void RequireStepsOfTheAdaptiveRule(Updater& updater, std::uint64_t seed, int fall_every) {
  auto rule = MakeUpdater(ConfigNode::FromString("type: nominal_adaptive", "opt"));
  updater.Reset(Layout());
  rule->Reset(Layout());
  Stream rng(seed);
  Vec a = Vec::LinSpaced(16, -1.0, 1.0);
  Vec b = a;
  for (int t = 0; t < 60; ++t) {
    const double mean = t % fall_every == fall_every - 1 ? -500.0 : 10.0 * t;
    const SearchSignal s = RandomSignal(16, rng, mean, 5.0);
    double sigma_a = s.sigma;
    double sigma_b = s.sigma;
    updater.Step(s, &a, &sigma_a);
    rule->Step(s, &b, &sigma_b);
    REQUIRE(a == b);
    CHECK(sigma_a == s.sigma);
  }
}

TEST_CASE("the untrained controller is ARS V2-t, bit for bit, for 20 iterations") {
  const std::string dir = TempDir("controller_ars");
  const std::string base =
      "task: {name: HalfCheetah, max_episode_steps: 100}\n"
      "policy: {kind: linear}\n"
      "search: {type: ars, directions: 8, top_directions: 4, sigma: 0.03, step_size: 0.02}\n"
      "train: {seed: 3, threads: 2, max_iterations: 20, eval_every: 5, eval_episodes: 2}\n";
  const TrainConfig ars = ParseTrainConfig(base + "optimizer: {type: nominal}\n", "ars.yaml");
  const TrainConfig v2 = ParseTrainConfig(base + "optimizer: {type: mnemosyne}\n", "v2.yaml");
  const TrainSummary a = Trainer(ars, dir + "/ars").Run();
  const TrainSummary b = Trainer(v2, dir + "/v2").Run();
  CHECK(a.iterations == 20);
  CHECK(b.final_eval_return == a.final_eval_return);
  CHECK(LoadPolicy(dir + "/v2/policy_latest.json").params ==
        LoadPolicy(dir + "/ars/policy_latest.json").params);
  CHECK(RowsWithoutWallTime(Slurp(dir + "/v2/metrics.csv")) ==
        RowsWithoutWallTime(Slurp(dir + "/ars/metrics.csv")));
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "the untrained controller anchored on the adaptive step is nominal_adaptive, bit for bit") {
  // Falling returns now and then, so that the anchor's collapses (theta
  // taken back) happen too.
  auto anchored = MnemosyneController::FromConfig(
      ConfigNode::FromString("type: mnemosyne\nadaptive_anchor: true", "opt"));
  RequireStepsOfTheAdaptiveRule(*anchored, 7, 17);
  // The weights file records the anchor and its settings; a config that
  // disagrees is refused.
  const std::string dir = TempDir("controller_anchor");
  anchored->SaveWeights(dir + "/a.weights");
  auto loaded = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/a.weights", "opt"));
  CHECK(loaded->Architecture().adaptive_anchor);
  CHECK(loaded->Architecture().anchor_settings.max_gain == 8.0);
  CHECK_THROWS_WITH_AS(MnemosyneController::FromConfig(ConfigNode::FromString(
                           "weights: " + dir + "/a.weights\nadaptive_anchor: false", "opt")),
                       doctest::Contains("adaptive_anchor: does not match the weights file"),
                       Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the run path alone: a few hundred meta-parameters, each of the run path") {
  auto full = MnemosyneController::FromConfig(
      ConfigNode::FromString("type: mnemosyne\nadaptive_anchor: true", "opt"));
  auto run_only = MnemosyneController::FromConfig(
      ConfigNode::FromString("type: mnemosyne\nadaptive_anchor: true\nrun_path_only: true", "opt"));
  // Its meta-parameters are the full controller's run.* blocks, and start
  // equal to them.
  int run_numbers = 0;
  Vec run_params;
  const ParamLayout full_layout = full->MetaLayout();
  const Vec full_params = full->MetaParams();
  for (const TensorSlice& t : full_layout.Tensors()) {
    if (t.name.rfind("run.", 0) != 0) continue;
    run_params.conservativeResize(run_numbers + t.Size());
    run_params.tail(t.Size()) = full_params.segment(t.offset, t.Size());
    run_numbers += t.Size();
  }
  CHECK(run_only->MetaParamCount() == run_numbers);
  CHECK(run_only->MetaParamCount() < 300);
  CHECK(run_only->MetaParams() == run_params);
  const ParamLayout run_layout = run_only->MetaLayout();
  for (const TensorSlice& t : run_layout.Tensors()) CHECK(t.name.rfind("run.", 0) == 0);

  // Untrained, it is nominal_adaptive bit for bit (collapses included);
  // with random weights, every coordinate gets the same gain.
  RequireStepsOfTheAdaptiveRule(*run_only, 7, 17);
  Stream rng(8);
  Vec random(run_only->MetaParamCount());
  for (double& x : random) x = 0.5 * rng.Normal();
  run_only->SetMetaParams(random);
  run_only->Reset(Layout());
  Vec theta = Vec::Zero(16);
  double sigma = 0.03;
  run_only->Step(RandomSignal(16, rng, 1.0, 2.0), &theta, &sigma);
  const Vec gains = run_only->LastOutputs().log_gains;
  CHECK(gains.maxCoeff() == gains.minCoeff());
  CHECK(gains[0] == run_only->LastOutputs().run_log_gain);
  CHECK(gains[0] != 0.0);

  // The weights file records the switch; a config that disagrees is refused.
  const std::string dir = TempDir("controller_run_only");
  run_only->SaveWeights(dir + "/r.weights");
  auto loaded = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/r.weights", "opt"));
  CHECK(loaded->Architecture().run_path_only);
  CHECK(loaded->MetaParams() == random);
  CHECK_THROWS_WITH_AS(MnemosyneController::FromConfig(ConfigNode::FromString(
                           "weights: " + dir + "/r.weights\nrun_path_only: false", "opt")),
                       doctest::Contains("run_path_only: does not match the weights file"), Error);
  full->SaveWeights(dir + "/f.weights");
  CHECK_FALSE(MnemosyneController::FromConfig(
                  ConfigNode::FromString("weights: " + dir + "/f.weights", "opt"))
                  ->Architecture()
                  .run_path_only);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the untrained controller's step is the nominal step and keeps sigma") {
  auto c = Untrained();
  c->Reset(Layout());
  Stream rng(3);
  for (int t = 0; t < 10; ++t) {
    const SearchSignal s = RandomSignal(16, rng, 100.0 * t, 5.0);
    Vec theta = Vec::LinSpaced(16, -1.0, 1.0);
    const Vec before = theta;
    double sigma = s.sigma;
    c->Step(s, &theta, &sigma);
    CHECK(theta == before + s.nominal_step);
    CHECK(sigma == s.sigma);
  }
  CHECK(c->MetaParamCount() > 100);
  CHECK(c->MetaParamCount() < 1000);
}

TEST_CASE("steps and sigma stay finite and bounded under adversarial signals") {
  const ControllerArchitecture arch;
  const double max_gain = std::exp(arch.gain_limit) + arch.residual;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
    // The third: the run path alone; the fourth and fifth: LSTM memories.
    const char* settings[] = {"", "", "run_path_only: true", "lstm_memory: true",
                              "lstm_memory: true\nrun_path_only: true"};
    auto c = Random(3.0, seed, settings[seed - 1]);
    c->Reset(Layout());
    Stream rng(seed + 10);
    double sigma = 0.03;
    const double first_sigma = sigma;
    for (int t = 0; t < 60; ++t) {
      // Returns huge, tiny, NaN or infinite; ascents huge, tiny or broken.
      const double means[] = {1e300, -1e300, 1e-300, nan, inf, 3.0};
      const double spreads[] = {1e300, 0.0, 1e-300, nan, 1.0, inf};
      SearchSignal s = RandomSignal(16, rng, means[t % 6], spreads[(t / 6) % 6],
                                    t % 3 == 0 ? 1e150 : (t % 3 == 1 ? 1e-150 : 1.0));
      if (t % 7 == 0) s.ascent[3] = nan;
      if (t % 11 == 0) s.nominal_step[5] = inf;
      s.sigma = sigma;
      s.budget_fraction = t / 60.0;
      Vec theta = Vec::Zero(16);
      double next = sigma;
      c->Step(s, &theta, &next);
      CAPTURE(t);
      REQUIRE(theta.allFinite());
      for (int j = 0; j < 16; ++j) {
        if (!std::isfinite(s.nominal_step[j])) {
          CHECK(theta[j] == 0.0);
        } else {
          CHECK(std::abs(theta[j]) <= max_gain * std::abs(s.nominal_step[j]) * (1 + 1e-12));
        }
      }
      REQUIRE(std::isfinite(next));
      CHECK(next >= arch.sigma_low * first_sigma * (1 - 1e-12));
      CHECK(next <= arch.sigma_high * first_sigma * (1 + 1e-12));
      CHECK(next <= sigma * std::exp(arch.sigma_limit) * (1 + 1e-12));
      CHECK(next >= std::min(sigma * std::exp(-arch.sigma_limit), arch.sigma_low * first_sigma) *
                        (1 - 1e-12));
      sigma = next;
    }
  }
}

TEST_CASE("a trained controller's state resumes exactly") {
  for (const std::string settings : {"", "lstm_memory: true"}) {
    CAPTURE(settings);
    auto first = Random(0.5, 7, settings);
    first->Reset(Layout());
    Stream rng(8);
    Vec theta = Vec::Zero(16);
    double sigma = 0.03;
    for (int t = 0; t < 5; ++t) first->Step(RandomSignal(16, rng, t, 1.0), &theta, &sigma);
    std::stringstream bytes;
    BinaryWriter out(bytes);
    first->SaveState(out);
    auto second = Random(0.5, 7, settings);
    second->Reset(Layout());
    BinaryReader in(bytes, "state");
    second->LoadState(in);
    Vec a = theta, b = theta;
    double sa = sigma, sb = sigma;
    for (int t = 5; t < 10; ++t) {
      Stream r1(100 + t), r2(100 + t);
      first->Step(RandomSignal(16, r1, t, 1.0), &a, &sa);
      second->Step(RandomSignal(16, r2, t, 1.0), &b, &sb);
    }
    CHECK(a == b);
    CHECK(sa == sb);
    CHECK(a != theta);
  }
}

TEST_CASE(
    "an LSTM memory stands where FAVOR+ is: the same rule untrained, its own blocks, its file") {
  const std::string lstm = "adaptive_anchor: true\nlstm_memory: true";
  auto c = MnemosyneController::FromConfig(ConfigNode::FromString("type: mnemosyne\n" + lstm, "o"));
  RequireStepsOfTheAdaptiveRule(*c, 11, 13);
  // LSTM blocks in both paths, no keys, queries or values.
  const ParamLayout layout = c->MetaLayout();
  std::vector<std::string> names;
  for (const TensorSlice& t : layout.Tensors()) names.push_back(t.name);
  const auto has = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  CHECK(has("lstm.recurrent"));
  CHECK(has("run.lstm.recurrent"));
  CHECK_FALSE(has("run.key"));
  CHECK_FALSE(has("head0.key"));
  // Trained (random) weights: the memory carries the history, so the same
  // signal at step 2 gets another gain than at step 1 after another past.
  auto trained = Random(0.5, 12, lstm);
  const auto gain_after = [&](double first_mean) {
    trained->Reset(Layout());
    Stream r(13);
    Vec theta = Vec::Zero(16);
    double sigma = 0.03;
    trained->Step(RandomSignal(16, r, first_mean, 5.0), &theta, &sigma);
    Stream r2(14);
    trained->Step(RandomSignal(16, r2, 100.0, 5.0), &theta, &sigma);
    return trained->LastOutputs().run_log_gain;
  };
  CHECK(gain_after(0.0) != gain_after(1000.0));
  // The file records the memory; a config that disagrees is refused.
  const std::string dir = TempDir("controller_lstm");
  trained->SaveWeights(dir + "/l.weights");
  auto loaded = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/l.weights", "opt"));
  CHECK(loaded->Architecture().lstm_memory);
  CHECK(loaded->MetaParams() == trained->MetaParams());
  CHECK_THROWS_WITH_AS(MnemosyneController::FromConfig(ConfigNode::FromString(
                           "weights: " + dir + "/l.weights\nlstm_memory: false", "opt")),
                       doctest::Contains("lstm_memory: does not match the weights file"), Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "weights files: the controller's round-trips; the coordinate-wise rule's loads as its own "
    "only") {
  const std::string dir = TempDir("controller_weights");
  auto c = Random(0.3, 4);
  c->SaveWeights(dir + "/v2.weights");
  auto loaded = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/v2.weights", "opt"));
  CHECK(loaded->MetaParams() == c->MetaParams());
  const std::string v1 =
      std::string(MNEMO_SOURCE_DIR) + "/configs/weights/mnemosyne_coordinatewise.weights";
  CHECK_THROWS_WITH_AS(
      MnemosyneController::FromConfig(ConfigNode::FromString("weights: " + v1, "opt")),
      doctest::Contains("weights of the optimizer 'mnemosyne_coordinatewise', not of 'mnemosyne'"),
      Error);
  CHECK(MakeUpdater(ConfigNode::FromString("type: mnemosyne_coordinatewise\nweights: " + v1, "opt"))
            ->Name() == "mnemosyne_coordinatewise");
  std::filesystem::remove_all(dir);
}

// The log-gains and step of one step of `c` on a fixed signal.
std::pair<Vec, Vec> OneStep(MnemosyneController& c) {
  c.Reset(Layout());
  Stream rng(21);
  Vec theta = Vec::Zero(16);
  double sigma = 0.03;
  c.Step(RandomSignal(16, rng, 1.0, 2.0), &theta, &sigma);
  return {c.LastOutputs().log_gains, theta};
}

TEST_CASE("centred gains only share the step out; the file records the choice") {
  const std::string dir = TempDir("controller_centred");
  auto plain = Random(0.3, 5);
  auto centred = MnemosyneController::FromConfig(
      ConfigNode::FromString("type: mnemosyne\ncenter_gains: true", "opt"));
  centred->SetMetaParams(plain->MetaParams());
  const auto [plain_gains, plain_step] = OneStep(*plain);
  const auto [gains, step] = OneStep(*centred);
  // Small weights: nothing reaches the bound L, so the centred log-gains
  // average to the run-level gain U and differ from the plain ones by one
  // constant, the mean of u_j.
  REQUIRE(plain_gains.cwiseAbs().maxCoeff() < ControllerArchitecture().gain_limit);
  CHECK(gains.mean() == doctest::Approx(centred->LastOutputs().run_log_gain).epsilon(1e-12));
  const Vec shift = plain_gains - gains;
  CHECK(std::abs(shift.mean()) > 1e-3);
  CHECK((shift.array() - shift.mean()).abs().maxCoeff() < 1e-12);
  CHECK(step != plain_step);

  // Saved and loaded, the controller still centres: the file defines it. A
  // config key that agrees with the file is accepted; one that disagrees is
  // refused, naming the key and the file.
  centred->SaveWeights(dir + "/centred.weights");
  auto loaded = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/centred.weights", "opt"));
  CHECK(OneStep(*loaded).second == step);
  auto agreeing = MnemosyneController::FromConfig(
      ConfigNode::FromString("weights: " + dir + "/centred.weights\ncenter_gains: true", "opt"));
  CHECK(OneStep(*agreeing).second == step);
  CHECK_THROWS_WITH_AS(MnemosyneController::FromConfig(ConfigNode::FromString(
                           "weights: " + dir + "/centred.weights\ncenter_gains: false", "opt")),
                       doctest::Contains("center_gains: does not match the weights file"), Error);
  // A file written before the entry existed (the shipped one) does not centre.
  const std::string shipped = std::string(MNEMO_SOURCE_DIR) + "/configs/weights/mnemosyne.weights";
  CHECK_THROWS_WITH_AS(MnemosyneController::FromConfig(ConfigNode::FromString(
                           "weights: " + shipped + "\ncenter_gains: true", "opt")),
                       doctest::Contains("records false"), Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a sigma level keeps sigma steady under a steady V; a rate drifts to its bound") {
  const ControllerArchitecture arch;
  for (const bool level : {false, true}) {
    CAPTURE(level);
    auto c = MnemosyneController::FromConfig(ConfigNode::FromString(
        std::string("type: mnemosyne\nsigma_level: ") + (level ? "true" : "false"), "opt"));
    // V = 0.05 whatever the run: only the bias of V's output.
    Vec p = c->MetaParams();
    const ParamLayout layout = c->MetaLayout();
    for (const TensorSlice& t : layout.Tensors()) {
      if (t.name == "run.output.bias") p[t.offset + 1] = 0.05;
    }
    c->SetMetaParams(p);
    c->Reset(Layout());
    Stream rng(4);
    double sigma = 0.03;
    for (int t = 0; t < 100; ++t) {
      SearchSignal s = RandomSignal(16, rng, t, 1.0);
      s.sigma = sigma;
      Vec theta = Vec::Zero(16);
      c->Step(s, &theta, &sigma);
    }
    if (level) {
      CHECK(sigma == doctest::Approx(0.03 * std::exp(0.05)).epsilon(1e-12));
    } else {
      CHECK(sigma == doctest::Approx(0.03 * arch.sigma_high).epsilon(1e-12));
    }
  }
}

TEST_CASE("inspection shows the run memory's attention and the multipliers, changing nothing") {
  const ParamLayout layout = Layout();
  auto inspected = Random(0.3, 9);
  auto plain = Random(0.3, 9);
  inspected->Reset(layout);
  plain->Reset(layout);
  inspected->SetInspection(true);
  Stream rng(4);
  Vec theta_a = Vec::Zero(layout.Size());
  Vec theta_b = theta_a;
  constexpr int kSteps = 12;
  std::vector<double> sigma_gains;
  for (int t = 0; t < kSteps; ++t) {
    const SearchSignal s = RandomSignal(layout.Size(), rng, 10.0 * t, 2.0);
    double sigma_a = s.sigma;
    double sigma_b = s.sigma;
    inspected->Step(s, &theta_a, &sigma_a);
    plain->Step(s, &theta_b, &sigma_b);
    CHECK(sigma_a == sigma_b);
    sigma_gains.push_back(std::exp(inspected->LastOutputs().sigma_log_gain));
  }
  // Recording changes no number.
  CHECK(theta_a == theta_b);
  const UpdaterView view = inspected->Inspect();
  CHECK(view.kind == "mnemosyne");
  CHECK(view.iteration == kSteps);
  std::map<std::string, Mat> panels;
  for (const UpdaterPanel& p : view.panels) panels[p.name] = p.values;
  // The run memory's read-out is the attention-weighted mean of every past
  // token: the weights over all kSteps tokens are non-negative and sum to 1
  // (up to the read-out's eps), the exact form of the discounted memory.
  REQUIRE(panels.count("run.attention") == 1);
  const Mat& attention = panels["run.attention"];
  CHECK(attention.size() == kSteps);
  CHECK(attention.minCoeff() >= 0.0);
  CHECK(attention.sum() == doctest::Approx(1.0).epsilon(1e-4));
  // The same holds per focus coordinate and head.
  int coordinate_panels = 0;
  for (const auto& [name, values] : panels) {
    if (name.rfind("head", 0) != 0 || name.find(".attention[") == std::string::npos) continue;
    ++coordinate_panels;
    CHECK(values.size() == kSteps);
    CHECK(values.sum() == doctest::Approx(1.0).epsilon(1e-4));
  }
  CHECK(coordinate_panels > 0);
  // The last step's multipliers, what the controller did.
  const ControllerOutputs& last = inspected->LastOutputs();
  for (const char* name : {"run.step_gain", "run.sigma_gain", "run.mean_gain"}) {
    REQUIRE(panels.count(name) == 1);
    CHECK(panels[name].size() == 1);
  }
  CHECK(panels["run.step_gain"](0, 0) == std::exp(last.run_log_gain));
  CHECK(panels["run.sigma_gain"](0, 0) == sigma_gains.back());
  CHECK(panels["run.mean_gain"](0, 0) == doctest::Approx(last.log_gains.array().exp().mean()));
  const ControllerArchitecture arch;
  CHECK(panels["run.mean_gain"](0, 0) <= std::exp(arch.gain_limit));
  // Off, it shows no panels.
  CHECK(plain->Inspect().panels.empty());
}

}  // namespace
}  // namespace mnemo
