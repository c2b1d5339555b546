// Meta-training: the MLP family's backpropagation, the normalized loss, PES
// against the analytic meta-gradient of a toy problem, a short run that
// learns, exact resume, and config errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "apps/lib/meta/task_family_list.h"
#include "apps/lib/training/meta_run.h"
#include "core/meta/outer/meta_config.h"
#include "core/meta/outer/meta_eval.h"
#include "core/meta/outer/meta_trainer.h"
#include "core/meta/tasks/meta_task.h"
#include "core/meta/tasks/mlp.h"
#include "core/meta/tasks/task_family.h"
#include "core/meta/tasks/task_mixture.h"
#include "core/optim/learned_weights_file.h"
#include "tests/step_along.h"
#include "tests/test_files.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

// ---- A toy meta-problem: learning the step size of SGD on a quadratic. ----

// SGD whose one meta-parameter is the log of its step size.
class LearnedSgd final : public LearnedUpdater {
 public:
  explicit LearnedSgd(const ConfigNode& config) {
    config.AllowOnly({"type", "threads", "log_lr"});
    log_lr_ = config.GetDouble("log_lr", std::log(0.05));
  }
  std::string Name() const override { return "test_learned_sgd"; }
  void Reset(const ParamLayout&) override {}
  void Step(const SearchSignal& signal, Vec* theta, double*) override {
    *theta += std::exp(log_lr_) * signal.ascent;
  }
  void SaveState(BinaryWriter&) const override {}
  void LoadState(BinaryReader&) override {}
  int MetaParamCount() const override { return 1; }
  Vec MetaParams() const override { return Vec::Constant(1, log_lr_); }
  void SetMetaParams(const Vec& p) override { log_lr_ = p[0]; }
  ParamLayout MetaLayout() const override { return ParamLayout::Flat(1, "log_lr"); }
  void SaveWeights(const std::string& path) const override {
    WriteLearnedWeights(path, {Name(), {}, 0, MetaParams()});
  }

 private:
  double log_lr_;
};

// The shipped updaters and the learned SGD.
const UpdaterRegistry& TestUpdaters() {
  static const UpdaterRegistry registry =
      Updaters().With({{"test_learned_sgd", "test: SGD with a learned step",
                        [](const ConfigNode& c) -> std::unique_ptr<Updater> {
                          return std::make_unique<LearnedSgd>(c);
                        }}});
  return registry;
}

// 0.5 h |x|^2 from x = 1, exact gradients.
class ToyQuadratic final : public GradientTask {
 public:
  ToyQuadratic(int dim, double h) : dim_(dim), h_(h) {}
  ParamLayout Layout() const override { return ParamLayout::Flat(dim_); }
  Vec Initial() const override { return Vec::Ones(dim_); }
  double StepScale() const override { return 1.0; }
  double Observe(const Vec& theta, std::int64_t, Vec* ascent) override {
    *ascent = -h_ * theta;
    return 0.5 * h_ * theta.squaredNorm();
  }
  std::string Describe() const override { return "toy quadratic"; }

 private:
  int dim_;
  double h_;
};

// The toy family (every draw is the same task).
class ToyFamily final : public TaskFamily {
 public:
  explicit ToyFamily(const ConfigNode& config) {
    AllowFamilyKeys(config, {"h"});
    h_ = config.GetDouble("h", 1.0);
  }
  std::string Name() const override { return "test_toy_quadratic"; }
  std::unique_ptr<MetaTask> Sample(std::uint64_t) const override {
    return std::make_unique<ToyQuadratic>(2, h_);
  }

 private:
  double h_;
};

// Every task family and the toy one.
const TaskFamilyRegistry& TestFamilies() {
  static const TaskFamilyRegistry registry =
      TaskFamilies().With({{"test_toy_quadratic", "test: fixed quadratic",
                            [](const ConfigNode& c) -> std::unique_ptr<TaskFamily> {
                              return std::make_unique<ToyFamily>(c);
                            }}});
  return registry;
}

// A MetaConfig from YAML text.
MetaConfig Meta(const std::string& text) {
  return ParseMetaConfig(ConfigNode::FromString(text, "meta.yaml"), TestFamilies(), TestUpdaters());
}

// The tiny config of configs/meta with `threads` workers (and `iterations`
// meta-iterations when positive; starting from `init_from` when given),
// edited in its YAML so that a run folder's copy of the config says the same.
MetaConfig Tiny(int threads, int iterations = 0, const std::string& init_from = "") {
  const std::string path = std::string(MNEMO_SOURCE_DIR) + "/configs/meta/tiny.yaml";
  YAML::Node root = YAML::LoadFile(path);
  root["meta"]["threads"] = threads;
  if (iterations > 0) root["meta"]["iterations"] = iterations;
  if (!init_from.empty()) root["init_from"] = init_from;
  YAML::Emitter emitter;
  emitter << root;
  return ParseMetaConfig(ConfigNode::FromString(emitter.c_str(), path), TaskFamilies());
}

// ---- Tests ----

TEST_CASE("MLP backpropagation matches finite differences") {
  for (const MlpLoss kind : {MlpLoss::kSquared, MlpLoss::kCrossEntropy}) {
    const int outputs = kind == MlpLoss::kSquared ? 2 : 3;
    Mlp net({3, {5, 4}, outputs});
    CHECK(net.Size() == (5 * 3 + 5) + (4 * 5 + 4) + (outputs * 4 + outputs));
    Stream rng(7, 0, 0);
    const Vec theta = net.RandomParams(rng, 1.5);
    Mat x(6, 3);
    Mat targets = Mat::Zero(6, outputs);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.Normal();
    for (int i = 0; i < 6; ++i) {
      if (kind == MlpLoss::kSquared) {
        targets.row(i) << rng.Normal(), rng.Normal();
      } else {
        targets(i, static_cast<int>(rng.Below(outputs))) = 1.0;
      }
    }
    Vec gradient;
    const double loss = net.Loss(theta, x, targets, kind, &gradient);
    CHECK(loss == doctest::Approx(net.Loss(theta, x, targets, kind, nullptr)));
    const double h = 1e-6;
    for (int j = 0; j < net.Size(); ++j) {
      Vec up = theta;
      Vec down = theta;
      up[j] += h;
      down[j] -= h;
      const double numeric =
          (net.Loss(up, x, targets, kind, nullptr) - net.Loss(down, x, targets, kind, nullptr)) /
          (2 * h);
      CHECK(gradient[j] == doctest::Approx(numeric).epsilon(1e-5).scale(1e-3));
    }
  }
}

TEST_CASE("the normalized loss is a clipped log ratio") {
  CHECK(LogLossRatio(2.0, 2.0) == doctest::Approx(0.0));
  CHECK(LogLossRatio(0.2, 2.0) == doctest::Approx(std::log(0.1)));
  CHECK(LogLossRatio(0.0, 2.0) == doctest::Approx(std::log(kMinLossRatio)));
  CHECK(LogLossRatio(1e9, 2.0) == doctest::Approx(std::log(kMaxLossRatio)));
  CHECK(LogLossRatio(NAN, 2.0) == MaxNormalizedLoss());
}

TEST_CASE("every family draws finite, reproducible tasks") {
  const ConfigNode families = ConfigNode::FromString(
      "quadratic: {dims: [5, 20]}\n"
      "mlp: {width: [4, 8]}\n"
      "blackbox: {dims: [5, 20], estimator: {type: ars, directions: 4, sigma: 0.05}}\n"
      "lqr: {states: [2, 6], estimator: {type: ars, directions: 4, sigma: 0.05}}\n"
      "locomotion: {tasks: [Swimmer], horizon: 20, estimator: {type: ars, directions: 1}}\n",
      "f.yaml");
  TaskMixture mixture(families, TaskFamilies());
  REQUIRE(mixture.Size() == 5);
  for (int f = 0; f < mixture.Size(); ++f) {
    CAPTURE(mixture.Label(f));
    auto a = mixture.Sample(f, 42);
    auto b = mixture.Sample(f, 42);
    CHECK(a->Describe() == b->Describe());
    const Vec theta = a->Initial();
    CHECK(theta.size() == a->Layout().Size());
    const double la = a->Loss(theta, 3);
    CHECK(la == b->Loss(theta, 3));
    CHECK(std::isfinite(la));
    if (auto* ga = dynamic_cast<GradientTask*>(a.get())) {
      // The ascent direction is reproducible and finite.
      Vec da;
      Vec db;
      ga->Observe(theta, 3, &da);
      dynamic_cast<GradientTask&>(*b).Observe(theta, 3, &db);
      CHECK(da == db);
      CHECK(da.allFinite());
      CHECK(ga->StepScale() > 0.0);
    } else {
      // The search evaluates candidates reproducibly; its estimator is
      // handed over once.
      auto& ea = dynamic_cast<EsTask&>(*a);
      auto& eb = dynamic_cast<EsTask&>(*b);
      CHECK(ea.NoiseSeed() == eb.NoiseSeed());
      const std::vector<Vec> xs = {theta, theta + Vec::Constant(theta.size(), 0.01)};
      std::vector<double> fa(2);
      std::vector<double> fb(2);
      ea.SearchProblem().Evaluate(xs, fa, nullptr);
      eb.SearchProblem().Evaluate(xs, fb, nullptr);
      CHECK(fa == fb);
      CHECK(std::isfinite(fa[1]));
      CHECK(ea.TakeEstimator() != nullptr);
      CHECK(ea.TakeEstimator() == nullptr);
    }
  }
}

TEST_CASE("an ES family with step_sizes draws each task's nominal step in the range") {
  const ConfigNode families = ConfigNode::FromString(
      "lqr: {step_sizes: [0.001, 0.1], estimator: {type: ars, directions: 2, step_size: 0.5}}\n"
      "blackbox: {estimator: {type: ars, directions: 2, step_size: 0.5}}\n",
      "f.yaml");
  TaskMixture mixture(families, TaskFamilies());
  std::vector<double> drawn;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto task = mixture.Sample(0, seed);
    const double alpha = dynamic_cast<EsTask&>(*task).TakeEstimator()->StepSize();
    CHECK(alpha >= 0.001);
    CHECK(alpha <= 0.1);
    drawn.push_back(alpha);
    // Without step_sizes, the section's own step size.
    auto fixed = mixture.Sample(1, seed);
    CHECK(dynamic_cast<EsTask&>(*fixed).TakeEstimator()->StepSize() == 0.5);
  }
  std::sort(drawn.begin(), drawn.end());
  CHECK(drawn.back() > 10.0 * drawn.front());
}

TEST_CASE("a family may set its own unroll lengths; the others take meta.unroll") {
  const ConfigNode families =
      ConfigNode::FromString("lqr: {unroll: [100, 400]}\nquadratic: {dims: 4}\n", "f.yaml");
  TaskMixture mixture(families, TaskFamilies());
  CHECK(mixture.Unroll(0, {20, 80}).lo == 100);
  CHECK(mixture.Unroll(0, {20, 80}).hi == 400);
  CHECK(mixture.Unroll(1, {20, 80}).hi == 80);
  // The trainer draws from them: whole runs of the LQR family alone take
  // 100-400 steps each.
  MetaTrainer trainer(
      Meta("optimizer: {type: mnemosyne}\n"
           "meta: {pairs: 2, sigma: 0.1, objective: whole_run, unroll: 5}\n"
           "families: {lqr: {unroll: [100, 400], estimator: {type: ars, directions: 2}}}\n"
           "evaluation: {every: 0}\n"));
  const MetaIterationReport report = trainer.Iterate();
  CHECK(report.inner_steps >= 4 * 100);
  CHECK(report.inner_steps <= 4 * 400);
  CHECK_THROWS_WITH_AS(
      TaskMixture(ConfigNode::FromString("lqr: {unroll: 0}\n", "f.yaml"), TaskFamilies()),
      doctest::Contains("unroll"), Error);
}

TEST_CASE("PES agrees with the analytic meta-gradient of a learned SGD step") {
  // SGD with lr = exp(p) on 0.5 h |x|^2: loss_t = loss_0 (1 - lr h)^(2t), so
  // the normalized loss is m_t = 2 t ln(1 - lr h) and the meta-loss, the
  // mean of m_t over an unroll of T steps, has d/dp = -(T - 1) lr h / (1 - lr h).
  constexpr int kT = 20;
  constexpr int kTruncation = 5;
  constexpr double kH = 1.0;
  const double lr = 0.05;
  MetaConfig config =
      Meta("optimizer: {type: test_learned_sgd, log_lr: " + std::to_string(std::log(lr)) +
           "}\nmeta: {seed: 3, threads: 2, pairs: 8, sigma: 0.02, truncation: 5, "
           "unroll: 20}\nfamilies: {test_toy_quadratic: {h: 1.0}}\n"
           "evaluation: {every: 0}\n");
  MetaTrainer trainer(config);
  const double analytic = -(kT - 1) * lr * kH / (1.0 - lr * kH);
  constexpr int kUnrolls = 60;
  std::vector<double> per_unroll;
  for (int u = 0; u < kUnrolls; ++u) {
    double sum = 0.0;
    for (int i = 0; i < kT / kTruncation; ++i) {
      sum += trainer.EstimateGradient(nullptr)[0];
    }
    per_unroll.push_back(sum * kTruncation / kT);
  }
  double mean = 0.0;
  for (double v : per_unroll) mean += v / kUnrolls;
  double var = 0.0;
  for (double v : per_unroll) var += (v - mean) * (v - mean) / (kUnrolls - 1);
  const double stderr_mean = std::sqrt(var / kUnrolls);
  MESSAGE("PES " << mean << " +- " << stderr_mean << ", analytic " << analytic);
  CHECK(std::abs(mean - analytic) < 4.0 * stderr_mean + 0.02 * std::abs(analytic));
  CHECK(stderr_mean < 0.1 * std::abs(analytic));  // the bound is informative
}

TEST_CASE("a short meta-training run lowers the meta-loss of a tiny family") {
  MetaTrainer trainer(Tiny(2));
  const double before = trainer.Evaluate().held_in;
  for (int i = 0; i < trainer.Config().iterations; ++i) trainer.Iterate();
  const double after = trainer.Evaluate().held_in;
  MESSAGE("held-in meta-loss " << before << " -> " << after);
  CHECK(after < before - 0.1);
}

TEST_CASE("meta-training depends on the seed only, and resumes exactly") {
  MetaTrainer one(Tiny(1));
  MetaTrainer two(Tiny(2));
  for (int i = 0; i < 6; ++i) {
    one.Iterate();
    two.Iterate();
  }
  CHECK(one.MetaParams() == two.MetaParams());

  MetaTrainer first(Tiny(2));
  for (int i = 0; i < 3; ++i) first.Iterate();
  std::ostringstream bytes;
  BinaryWriter out(bytes);
  first.SaveState(out);
  MetaTrainer resumed(Tiny(2));
  std::istringstream in_bytes(bytes.str());
  BinaryReader in(in_bytes, "state");
  resumed.LoadState(in);
  CHECK(resumed.Iteration() == 3);
  for (int i = 0; i < 3; ++i) resumed.Iterate();
  CHECK(resumed.MetaParams() == one.MetaParams());
}

// the Mnemosyne controller meta-trained on LQR searches (ARS estimates with a small
// step, so that the step's gain has room to learn) with `threads` workers
// and the `objective` given ("whole_run" or "truncated").
MetaConfig V2OnLqr(int threads, const std::string& objective) {
  const std::string truncation = objective == "truncated" ? ", truncation: 7" : "";
  return Meta(
      "optimizer: {type: mnemosyne}\n"
      "meta: {seed: 5, threads: " +
      std::to_string(threads) + ", pairs: 8, sigma: 0.1, objective: " + objective + truncation +
      ", unroll: [20, 40], differences: sign, decay: 0.001, "
      "outer: {type: adam, lr: 0.03}}\n"
      "families:\n"
      "  lqr: {states: [2, 5], actions: [1, 2], horizon: 20,\n"
      "        estimator: {type: ars, directions: 4, top_directions: 4, sigma: 0.05,\n"
      "                    step_size: 0.005}}\n"
      "evaluation: {every: 0, tasks: 8, length: 40}\n");
}

TEST_CASE("whole-run meta-training of the Mnemosyne controller lowers its meta-loss on LQR") {
  MetaTrainer trainer(V2OnLqr(2, "whole_run"));
  const double before = trainer.Evaluate().held_in;
  for (int i = 0; i < 25; ++i) trainer.Iterate();
  const double after = trainer.Evaluate().held_in;
  MESSAGE("held-in meta-loss (area + final) " << before << " -> " << after);
  CHECK(after < before - 0.2);
}

TEST_CASE("meta.tensors and meta.zero are not keys of a meta-training config") {
  for (const char* key : {"tensors: [run.output]", "zero: [run.output]"}) {
    CAPTURE(key);
    const std::string text =
        std::string("optimizer: {type: mnemosyne}\nmeta: {pairs: 2, sigma: 0.1, ") + key +
        "}\nfamilies:\n  quadratic: {dims: [4, 8]}\n";
    CHECK_THROWS_WITH_AS(Meta(text), doctest::Contains("unknown key"), Error);
  }
}

TEST_CASE(
    "meta-training of the Mnemosyne controller on ES searches resumes exactly, on any thread "
    "count") {
  for (const std::string objective : {"whole_run", "truncated"}) {
    CAPTURE(objective);
    MetaTrainer one(V2OnLqr(1, objective));
    for (int i = 0; i < 5; ++i) one.Iterate();
    // Stopped after 2 meta-iterations (for the truncated objective, in the
    // middle of the pairs' unrolls: the searches' state is saved) and
    // resumed on another thread count.
    MetaTrainer first(V2OnLqr(2, objective));
    for (int i = 0; i < 2; ++i) first.Iterate();
    std::ostringstream bytes;
    BinaryWriter out(bytes);
    first.SaveState(out);
    MetaTrainer resumed(V2OnLqr(2, objective));
    std::istringstream in_bytes(bytes.str());
    BinaryReader in(in_bytes, "state");
    resumed.LoadState(in);
    for (int i = 0; i < 3; ++i) resumed.Iterate();
    CHECK(resumed.MetaParams() == one.MetaParams());
    CHECK(one.MetaParams() != MetaTrainer(V2OnLqr(1, objective)).MetaParams());
  }
}

TEST_CASE("a stopped meta-training run resumes to the same weights and curve") {
  namespace fs = std::filesystem;
  const std::string base = testing::TempDir("meta_run");
  const auto read = testing::Slurp;
  // The curve without its wall-clock column (the last one).
  const auto curve = [&](const std::string& dir) {
    std::stringstream lines(read(dir + "/metrics.csv"));
    std::string all;
    for (std::string line; std::getline(lines, line);) {
      all += line.substr(0, line.rfind(',')) + "\n";
    }
    return all;
  };
  const MetaConfig config = Tiny(2, 12);
  {
    MetaRun whole(config, base + "/whole");
    whole.Run([](const MetaRunReport&) {});
  }
  {
    MetaRun part(config, base + "/part");
    part.Run([](const MetaRunReport&) {}, 7);
  }
  CHECK_THROWS_AS(MetaRun(config, base + "/part"), Error);
  // A damaged state is refused, not resumed with wrong numbers.
  const std::string state = read(base + "/part/state.bin");
  std::string damaged = state;
  damaged[damaged.size() / 2] = static_cast<char>(~damaged[damaged.size() / 2]);
  std::ofstream(base + "/part/state.bin", std::ios::binary | std::ios::trunc) << damaged;
  CHECK_THROWS_WITH_AS(MetaRun::Resume(base + "/part"),
                       doctest::Contains("state.bin: file is truncated or corrupt"), Error);
  std::ofstream(base + "/part/state.bin", std::ios::binary | std::ios::trunc) << state;
  auto resumed = MetaRun::Resume(base + "/part");
  CHECK(resumed->Trainer().Iteration() == 7);
  const MetaRunSummary s = resumed->Run([](const MetaRunReport&) {});
  CHECK(s.iterations == 12);
  CHECK(read(base + "/whole/latest.weights") == read(base + "/part/latest.weights"));
  CHECK(read(base + "/whole/best.weights") == read(base + "/part/best.weights"));
  CHECK(curve(base + "/whole") == curve(base + "/part"));
  CHECK(fs::exists(base + "/part/summary.json"));

  // A run started from weights keeps a copy of them, so it resumes after the
  // folder has moved and the original weights are gone.
  {
    MetaRun from(Tiny(2, 4, base + "/whole/latest.weights"), base + "/from");
    from.Run([](const MetaRunReport&) {}, 2);
  }
  CHECK(read(base + "/from/init_from.weights") == read(base + "/whole/latest.weights"));
  CHECK(read(base + "/from/config.yaml").find("init_from: init_from.weights\n") !=
        std::string::npos);
  fs::rename(base + "/from", base + "/moved");
  fs::remove_all(base + "/whole");
  CHECK(MetaRun::Resume(base + "/moved")->Run([](const MetaRunReport&) {}).iterations == 4);
  fs::remove_all(base);
}

TEST_CASE("meta-eval runs every method on the same draws and tunes lr_grid") {
  const MetaEvalConfig config = ParseMetaEvalConfig(
      ConfigNode::FromString("horizon: 30\nseeds: 2\nthreads: 2\n"
                             "methods:\n"
                             "  mnemosyne: {optimizer: {type: mnemosyne_coordinatewise}}\n"
                             "  adam: {optimizer: {type: adam}, lr_grid: [0.000001, 0.1]}\n"
                             "tasks:\n"
                             "  small_quadratic: {type: quadratic, dims: 8, noise: 0.01}\n"
                             "  small_mlp: {type: mlp, width: 4}\n",
                             "eval.yaml"),
      TaskFamilies());
  const std::vector<TaskOutcome> one = RunMetaEval(config, {});
  REQUIRE(one.size() == 2);
  for (const TaskOutcome& t : one) {
    REQUIRE(t.methods.size() == 3);
    CHECK(t.methods[0].method == "mnemosyne");
    CHECK(std::isnan(t.methods[0].lr));
    CHECK(t.methods[1].lr == 0.1);  // a step of 1e-6 barely moves
    CHECK(t.methods[1].mean_loss < 0.0);
    CHECK(t.methods[0].diverged == 0);
    // Adam tuned once for every entry: here the same rate.
    CHECK(t.methods[2].method == "adam_shared_lr");
    CHECK(t.methods[2].lr == 0.1);
    CHECK(t.methods[2].mean_loss == t.methods[1].mean_loss);
    CHECK(t.grid.size() == 2);
  }
  const std::vector<TaskOutcome> two = RunMetaEval(config, {});
  CHECK(two[1].methods[0].final_loss == one[1].methods[0].final_loss);

  const auto message = [](const std::string& text) {
    try {
      ParseMetaEvalConfig(ConfigNode::FromString(text, "eval.yaml"), TaskFamilies());
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("methods:\n  a: {optimizer: {type: adam}, lr_grid: [x]}\n"
                "tasks: {quadratic: {}}\n")
            .find("eval.yaml:2: methods.a.lr_grid") != std::string::npos);
  CHECK(message("methods:\n  a: {optimizer: {type: adam}}\ntasks:\n"
                "  q: {type: quadratic, dims: 0}\n")
            .find("tasks.q.dims") != std::string::npos);
}

TEST_CASE("meta-eval gives two identical methods the same draws, on any thread count") {
  const auto run = [](int threads) {
    return RunMetaEval(
        ParseMetaEvalConfig(
            ConfigNode::FromString("horizon: 20\nseeds: 3\nthreads: " + std::to_string(threads) +
                                       "\nmethods:\n"
                                       "  first: {optimizer: {type: adam}, lr_grid: [0.01, 0.1]}\n"
                                       "  second: {optimizer: {type: adam}, lr_grid: [0.01, 0.1]}\n"
                                       "  other: {optimizer: {type: sgd}, lr_grid: [0.01, 0.1]}\n"
                                       "tasks:\n"
                                       "  q: {type: quadratic, dims: [4, 12], noise: 0.1}\n",
                                   "eval.yaml"),
            TaskFamilies()),
        {});
  };
  const std::vector<TaskOutcome> one = run(1);
  REQUIRE(one.size() == 1);
  REQUIRE(one[0].methods.size() == 6);  // three, then each at its one shared lr
  const MethodOutcome& first = one[0].methods[0];
  const MethodOutcome& second = one[0].methods[1];
  // Same optimizer, same draws (tasks, seeds and gradient noise): same numbers.
  CHECK(first.final_loss == second.final_loss);
  CHECK(first.mean_loss == second.mean_loss);
  CHECK(first.lr == second.lr);
  CHECK(one[0].methods[2].mean_loss != first.mean_loss);  // another optimizer differs
  const std::vector<TaskOutcome> three = run(3);
  for (int m = 0; m < 3; ++m) {
    CHECK(three[0].methods[m].final_loss == one[0].methods[m].final_loss);
    CHECK(three[0].methods[m].mean_loss == one[0].methods[m].mean_loss);
  }
}

TEST_CASE("meta-eval's shared lr is the grid's best over every entry together, not per entry") {
  const MetaEvalConfig config = ParseMetaEvalConfig(
      ConfigNode::FromString("horizon: 40\nseeds: 2\nthreads: 2\n"
                             "methods:\n"
                             "  adam: {optimizer: {type: adam}, lr_grid: [0.003, 0.03, 0.3]}\n"
                             "tasks:\n"
                             "  easy: {type: quadratic, dims: 8, condition: 1}\n"
                             "  hard: {type: quadratic, dims: 8, condition: 1000}\n"
                             "  mlp: {type: mlp, width: 4}\n",
                             "eval.yaml"),
      TaskFamilies());
  const std::vector<TaskOutcome> outcomes = RunMetaEval(config, {});
  std::map<double, double> total;
  for (const TaskOutcome& t : outcomes) {
    REQUIRE(t.grid.size() == 3);
    for (const MethodOutcome& o : t.grid) total[o.lr] += o.mean_loss;
  }
  double shared = 0.0;
  for (const auto& [lr, sum] : total) {
    if (shared == 0.0 || sum < total[shared]) shared = lr;
  }
  for (const TaskOutcome& t : outcomes) {
    REQUIRE(t.methods.size() == 2);
    CHECK(t.methods[1].lr == shared);
    // Tuned per entry is never worse than tuned once.
    CHECK(t.methods[0].mean_loss <= t.methods[1].mean_loss);
  }
}

TEST_CASE("the shipped weights load, and take finite steps") {
  for (const char* kind : {"mnemosyne_coordinatewise", "lstm"}) {
    INFO(kind);
    const std::string path =
        std::string(MNEMO_SOURCE_DIR) + "/configs/weights/" + kind + ".weights";
    std::unique_ptr<LearnedUpdater> updater = MakeLearnedUpdater(
        ConfigNode::FromString(std::string("type: ") + kind + "\nweights: " + path, "w.yaml"));
    updater->Reset(ParamLayout::Flat(50));
    Stream rng(5, 0, 0);
    Vec theta = Vec::Zero(50);
    double largest_step = 0.0;
    for (int t = 0; t < 20; ++t) {
      Vec g(50);
      rng.FillNormal({g.data(), 50});
      const Vec before = theta;
      StepAlong(*updater, g, &theta);
      largest_step = std::max(largest_step, (theta - before).cwiseAbs().maxCoeff());
    }
    CHECK(theta.allFinite());
    CHECK(theta.norm() > 0.0);
    // Steps in units of the step scale: no coordinate moves by more than a
    // few units in one step (an updater ignoring the scale would take steps
    // of order 1).
    INFO("largest step " << largest_step);
    CHECK(largest_step < 5 * 0.01);
  }
}

TEST_CASE("meta-training config errors name the file, line and key") {
  const auto message = [](const std::string& text) {
    try {
      Meta(text);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string families = "families: {quadratic: {}}\n";
  CHECK(message("optimizer: {type: mnemosyne_coordinatewise}\nmeta:\n  pairs: 0\n" + families)
            .find("meta.yaml:3: meta.pairs") != std::string::npos);
  CHECK(message("optimizer: {type: adam}\n" + families).find("meta.yaml:1: optimizer.type") !=
        std::string::npos);
  CHECK(message("optimizer: {type: mnemosyne_coordinatewise}\nfamilies:\n  quadratic:\n"
                "    bogus: 1\n")
            .find("families.quadratic") != std::string::npos);
  CHECK(message("optimizer: {type: mnemosyne_coordinatewise}\nfamilies:\n  mlp:\n"
                "    width: [8, 4]\n")
            .find("meta.yaml:4: families.mlp.width") != std::string::npos);
  CHECK(message("optimizer: {type: mnemosyne_coordinatewise}\ninit_from: nowhere.weights\n" +
                families)
            .find("init_from") != std::string::npos);
  CHECK(message("optimizer: {type: mnemosyne_coordinatewise}\nfamilies: {}\n").find("families") !=
        std::string::npos);
}

}  // namespace
}  // namespace mnemo
