// Tests of policies/: forward passes, parameter counts, clipping, the
// observation normalizer and the policy file.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "policies/observation_normalizer.h"
#include "policies/policy.h"
#include "policies/policy_file.h"
#include "tests/test_files.h"

using namespace mnemo;

namespace {

// A spec with action limits [-limit, limit] (the default 100 is wide enough not
// to clip unless asked).
PolicySpec Spec(const std::string& kind, int obs, int act, std::vector<int> hidden = {},
                double limit = 100.0) {
  return {kind, obs, act, Vec::Constant(act, -limit), Vec::Constant(act, limit), hidden};
}

// theta with entries 0.1 * sin(i + 1): distinct and deterministic.
Vec Distinct(int n) {
  Vec v(n);
  for (int i = 0; i < n; ++i) v[i] = 0.1 * std::sin(i + 1.0);
  return v;
}

// Runs Act with a fresh scratch buffer.
Vec Act(const Policy& p, const Vec& theta, const Vec& obs) {
  Vec action(p.Spec().act_dim);
  Vec scratch(std::max(1, p.ScratchSize()));
  p.Act(theta.data(), obs.data(), action.data(), scratch.data());
  return action;
}

}  // namespace

TEST_CASE("linear policy computes M obs with M stored row-major") {
  auto p = MakePolicy(Spec("linear", 3, 2));
  CHECK(p->NumParams() == 6);
  const Vec theta = Distinct(6);
  const Vec obs = Vec::LinSpaced(3, -1, 2);
  const Vec a = Act(*p, theta, obs);
  for (int i = 0; i < 2; ++i) {
    double expected = 0;
    for (int j = 0; j < 3; ++j) expected += theta[i * 3 + j] * obs[j];
    CHECK(a[i] == doctest::Approx(expected).epsilon(1e-14));
  }
}

TEST_CASE("actions are clipped to the control range only when the spec asks") {
  PolicySpec spec = Spec("linear", 2, 2, {}, 0.4);
  Vec theta(4);
  theta << 10, 0, 0, -10;
  const Vec as_given = Act(*MakePolicy(spec), theta, Vec::Ones(2));
  CHECK(as_given[0] == 10.0);
  CHECK(as_given[1] == -10.0);
  spec.clip_actions = true;
  for (const char* kind : {"linear", "mlp"}) {
    spec.kind = kind;
    spec.hidden = spec.kind == "mlp" ? std::vector<int>{3} : std::vector<int>{};
    auto p = MakePolicy(spec);
    const Vec big = Vec::Constant(p->NumParams(), 50.0);
    const Vec a = Act(*p, big, Vec::Ones(2));
    CHECK(a.maxCoeff() == 0.4);
  }
}

TEST_CASE("MLP forward pass matches explicit arithmetic") {
  auto p = MakePolicy(Spec("mlp", 3, 2, {4, 5}));
  // Layers 3->4, 4->5, 5->2 with biases.
  CHECK(p->NumParams() == 3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2);
  const Vec theta = Distinct(p->NumParams());
  const Vec obs = Vec::LinSpaced(3, 0.5, -1.5);
  std::vector<double> h(obs.data(), obs.data() + 3);
  int offset = 0;
  const int widths[] = {3, 4, 5, 2};
  for (int l = 0; l < 3; ++l) {
    std::vector<double> next(widths[l + 1]);
    for (int i = 0; i < widths[l + 1]; ++i) {
      double sum = 0;
      for (int j = 0; j < widths[l]; ++j) sum += theta[offset + i * widths[l] + j] * h[j];
      sum += theta[offset + widths[l] * widths[l + 1] + i];
      next[i] = l < 2 ? std::tanh(sum) : sum;
    }
    offset += widths[l] * widths[l + 1] + widths[l + 1];
    h = next;
  }
  const Vec a = Act(*p, theta, obs);
  CHECK(a[0] == doctest::Approx(h[0]).epsilon(1e-13));
  CHECK(a[1] == doctest::Approx(h[1]).epsilon(1e-13));
}

TEST_CASE("Toeplitz layers have in + out - 1 parameters and constant diagonals") {
  auto p = MakePolicy(Spec("toeplitz", 17, 6, {32, 32}));
  CHECK(p->NumParams() == (17 + 32 - 1) + (32 + 32 - 1) + (32 + 6 - 1));
  CHECK(p->Layout().Tensors().size() == 3);

  // One layer 4 -> 3 against the explicit matrix T[i][j] = t[i - j + 3].
  auto single = MakePolicy(Spec("toeplitz", 4, 3));
  CHECK(single->NumParams() == 6);
  const Vec t = Distinct(6);
  const Vec obs = Vec::LinSpaced(4, -1, 1);
  const Vec a = Act(*single, t, obs);
  for (int i = 0; i < 3; ++i) {
    double expected = 0;
    for (int j = 0; j < 4; ++j) expected += t[i - j + 3] * obs[j];
    CHECK(a[i] == doctest::Approx(expected).epsilon(1e-14));
  }
}

TEST_CASE("bad policy specs are refused") {
  CHECK_THROWS_AS(MakePolicy(Spec("nonsense", 3, 2)), Error);
  CHECK_THROWS_AS(MakePolicy(Spec("mlp", 3, 2, {0})), Error);
  CHECK_THROWS_AS(MakePolicy(Spec("linear", 0, 2)), Error);
}

TEST_CASE("normalizer merged from per-worker statistics equals the whole batch") {
  Stream s(9);
  ObservationNormalizer merged(2);
  RunningStats whole(2);
  for (int worker = 0; worker < 4; ++worker) {
    RunningStats part(2);
    for (int i = 0; i < 50 + worker; ++i) {
      const std::vector<double> x = {5 + 2 * s.Normal(), -3 + 0.1 * s.Normal()};
      part.Push(x);
      whole.Push(x);
    }
    merged.Merge(part);
  }
  merged.Refresh();
  const std::vector<double> obs = {7, -3.2};
  double out[2];
  merged.Normalize(obs.data(), out);
  for (int j = 0; j < 2; ++j) {
    const double expected = (obs[j] - whole.Mean()[j]) / std::sqrt(whole.Variance()[j]);
    CHECK(out[j] == doctest::Approx(expected).epsilon(1e-10));
  }
  // Frozen: merging more does not change the snapshot until Refresh.
  RunningStats more(2);
  more.Push(std::vector<double>{100, 100});
  merged.Merge(more);
  double again[2];
  merged.Normalize(obs.data(), again);
  CHECK(again[0] == out[0]);
}

TEST_CASE("policy files round-trip exactly and refuse misfits") {
  const std::string dir = testing::TempDir("policy");
  SavedPolicy saved;
  saved.task = "HalfCheetah";
  saved.spec = Spec("mlp", 17, 6, {8});
  auto p = MakePolicy(saved.spec);
  saved.params = Distinct(p->NumParams()) * 1.2345678901234567;
  saved.obs_stats = RunningStats::FromMoments(12, Distinct(17), Distinct(17).cwiseAbs());
  const std::string path = dir + "/p.json";
  SavePolicy(saved, path);
  const SavedPolicy loaded = LoadPolicy(path);
  CHECK(loaded.task == "HalfCheetah");
  CHECK(loaded.spec.hidden == std::vector<int>{8});
  CHECK(loaded.params == saved.params);
  CHECK(loaded.obs_stats.Mean() == saved.obs_stats.Mean());
  CHECK(loaded.obs_stats.Count() == 12);
  CHECK(!loaded.spec.clip_actions);
  saved.spec.clip_actions = true;
  SavePolicy(saved, path);
  CHECK(LoadPolicy(path).spec.clip_actions);
  // A file written before the option was recorded clipped its actions.
  nlohmann::json old = nlohmann::json::parse(testing::Slurp(path));
  old.erase("clip_actions");
  std::ofstream(dir + "/old.json") << old.dump();
  CHECK(LoadPolicy(dir + "/old.json").spec.clip_actions);

  CHECK_NOTHROW(CheckPolicyFits(loaded, path, "HalfCheetah", 17, 6));
  // Same sizes, another robot.
  CHECK_THROWS_WITH_AS(CheckPolicyFits(loaded, path, "Walker2d", 17, 6),
                       doctest::Contains("does not fit Walker2d"), Error);
  try {
    CheckPolicyFits(loaded, path, "Hopper", 11, 3);
    FAIL("a misfit was accepted");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK(msg.find("Hopper") != std::string::npos);
    CHECK(msg.find("obs 17") != std::string::npos);
    CHECK(msg.find(path) != std::string::npos);
  }

  // Malformed and wrong-sized files.
  std::ofstream(dir + "/bad.json") << "{ not json";
  CHECK_THROWS_WITH_AS(LoadPolicy(dir + "/bad.json"), doctest::Contains("malformed JSON"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(dir + "/missing.json"), doctest::Contains("cannot open"), Error);
  saved.params.conservativeResize(saved.params.size() - 1);
  SavePolicy(saved, dir + "/short.json");
  CHECK_THROWS_WITH_AS(LoadPolicy(dir + "/short.json"), doctest::Contains("parameters"), Error);

  // Damaged numbers are refused with the file's name, not read out of bounds.
  const auto damaged = [&](const std::string& key, const nlohmann::json& value) {
    nlohmann::json j = nlohmann::json::parse(testing::Slurp(path));
    j[key] = value;
    const std::string file = dir + "/" + key + ".json";
    std::ofstream(file) << j.dump();
    return file;
  };
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_m2", std::vector<double>(16, 1.0))),
                       doctest::Contains("obs_m2.json: observation statistics: 17 means but 16"),
                       Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_m2", std::vector<double>(17, -1.0))),
                       doctest::Contains("negative"), Error);
  // Integers must be integers, in range: not -3, 1.5, 8.7 or 1e300.
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_count", -3)),
                       doctest::Contains("obs_count: must be an integer from 0 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_count", 1.5)),
                       doctest::Contains("obs_count: must be an integer from 0 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_count", 1e300)),
                       doctest::Contains("obs_count: must be an integer from 0 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_dim", 8.7)),
                       doctest::Contains("obs_dim: must be an integer from 1 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("act_dim", 0)),
                       doctest::Contains("act_dim: must be an integer from 1 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("hidden", std::vector<double>{16.5})),
                       doctest::Contains("hidden: must be an integer from 1 to"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("version", 1.5)),
                       doctest::Contains("unsupported policy file version 1.5"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("obs_mean", std::vector<double>(17, 1e308 * 10))),
                       doctest::Contains("obs_mean"), Error);
  CHECK_THROWS_WITH_AS(LoadPolicy(damaged("action_low", std::vector<double>(6, 200.0))),
                       doctest::Contains("lower limit exceeds"), Error);
  // An error that already names the file and key keeps them, once.
  try {
    LoadPolicy(damaged("params", "not numbers"));
    FAIL("a policy without numeric params was accepted");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK(e.Where().key == "params");
    CHECK(msg.find("params.json") == msg.rfind("params.json"));
  }
  std::filesystem::remove_all(dir);
}
