// Tests of training from configs: schema errors, exact resume, learning.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "core/es/strategy.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "core/parallel/thread_pool.h"
#include "core/util/error.h"
#include "envs/task.h"
#include "envs/task_list.h"
#include "policies/policy.h"
#include "policies/policy_list.h"
#include "tests/run_folder_files.h"
#include "tests/test_files.h"

using namespace mnemo;
using mnemo::testing::CheckSameRunFiles;
using mnemo::testing::ReproducibleFiles;
using mnemo::testing::RunMnemo;
using mnemo::testing::Shell;
using mnemo::testing::Slurp;
using mnemo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// A small, fast HalfCheetah ARS config.
const char* kSmallConfig = R"(
task:
  name: HalfCheetah
  max_episode_steps: 100
search:
  type: ars
  directions: 4
  top_directions: 2
  sigma: 0.03
optimizer:
  type: sgd
  lr: 0.02
train:
  seed: 3
  threads: 2
  max_iterations: 6
  eval_every: 2
  eval_episodes: 2
  checkpoint_every: 2
)";

TEST_CASE("config errors name the file, line and key") {
  auto expect_error = [](const std::string& text, const std::string& needle) {
    try {
      ParseTrainConfig(text, "cfg.yaml");
      FAIL("accepted: " << text);
    } catch (const Error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(needle) != std::string::npos);
    }
  };
  expect_error("search: {type: ars}\ntrain: {max_iterations: 3}\nbogus: 1\n",
               "cfg.yaml:3: bogus: unknown key");
  expect_error("search: {type: ars}\ntrain:\n  max_iterations: many\n",
               "cfg.yaml:3: train.max_iterations: expected an integer");
  expect_error("search: {type: ars}\ntrain:\n  max_iterations: 3\n  eval_episodes: 0\n",
               "train.eval_episodes: value 0 is out of range");
  expect_error("task: {name: Cheetah}\nsearch: {type: ars}\ntrain: {max_iterations: 3}\n",
               "unknown task 'Cheetah' (known:");
  expect_error("train: {max_iterations: 3}\n", "search.type: required key is missing");
  expect_error("search: {type: ars}\n", "set a budget");
  expect_error(
      "search: {type: ars}\noptimizer: {type: mnemosyne_coordinatewise, step_scale: 0.1}\n"
      "train: {max_iterations: 3}\n",
      "cfg.yaml:2: optimizer.step_scale: in training the learned optimizer's step unit is the "
      "search's sigma");
  expect_error("search: {type: ars}\ntrain: {max_iterations: 3\n", "YAML syntax error");
  // Keys that are lists or mappings (found by fuzzing: they escaped as
  // internal errors), and nesting without end.
  expect_error("search: {type: ars}\n? [a, b]\n: 1\n",
               "cfg.yaml:2: a key must be a plain name, not a list or a mapping");
  expect_error("search: {type: ars, ? {x: 1} : 2}\n", "a key must be a plain name");
  expect_error(
      "search: {type: ars}\ntrain: " + std::string(100, '[') + std::string(100, ']') + "\n",
      "nested more than 64 levels deep");
}

TEST_CASE("--set overrides nested keys and rejects malformed assignments") {
  YAML::Node root = YAML::Load("train: {seed: 1}\n");
  ApplyOverride(root, "train.seed=7");
  ApplyOverride(root, "search.sigma=0.5");
  CHECK(root["train"]["seed"].as<int>() == 7);
  CHECK(root["search"]["sigma"].as<double>() == 0.5);
  CHECK_THROWS_AS(ApplyOverride(root, "noequals"), Error);
  CHECK_THROWS_AS(ApplyOverride(root, "train.seed.deeper=1"), Error);
  CHECK_THROWS_WITH_AS(ApplyOverride(root, "search={[a]: 1}"),
                       doctest::Contains("a key must be a plain name"), Error);
}

TEST_CASE("the mnemo binary exits with code 2 and one clear line on bad input") {
  const std::string dir = TempDir("cli");
  const auto expect_refusal = [&](const std::string& args, const std::string& needle) {
    INFO(args);
    const auto result = RunMnemo(args, dir);
    const int code = result.first;
    const std::string& err = result.second;
    INFO(err);
    CHECK(code == 2);
    CHECK(err.find(needle) != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  };
  std::ofstream(dir + "/bad.yaml") << "search: {type: ars}\ntrain: {max_iterations: 3}\nbogus: 1\n";
  expect_refusal("train " + dir + "/bad.yaml --out " + dir + "/run",
                 "bad.yaml:3: bogus: unknown key");
  expect_refusal("train --resume " + dir, "not a resumable run folder (no state.bin)");
  expect_refusal("eval " + dir + "/none.json", "none.json: cannot open policy file");
  expect_refusal("train --bogus", "mnemo: error: The following argument was not expected: --bogus");
  expect_refusal("train --resume " + dir + "/run --out " + dir + "/other",
                 "drop CONFIG, --set and --out");
  // Output paths that cannot be made are bad input, found before long work.
  std::ofstream(dir + "/file") << "in the way";
  expect_refusal("train --out " + dir + "/file/run", "file/run: cannot create the folder");
  expect_refusal("meta-train " + std::string(MNEMO_SOURCE_DIR) +
                     "/configs/meta/tiny.yaml --weights " + dir + "/none/x.weights",
                 "x.weights: its folder");
  // meta-train takes --set like train: a bad key is refused at its line,
  // a good one lands in the run folder's config, and a resume refuses it.
  const std::string tiny = std::string(MNEMO_SOURCE_DIR) + "/configs/meta/tiny.yaml";
  expect_refusal("meta-train " + tiny + " --set meta.bogus=1 --out " + dir + "/meta",
                 "meta.bogus: unknown key");
  REQUIRE(RunMnemo("meta-train " + tiny + " --set meta.iterations=0 --out " + dir + "/meta0", dir)
              .first == 0);
  CHECK(Slurp(dir + "/meta0/config.yaml").find("iterations: 0") != std::string::npos);
  expect_refusal("meta-train --resume " + dir + "/meta0 --set meta.seed=2",
                 "drop CONFIG, --set and --out");

  // A run folder whose state was damaged (a bad copy, a full disk) is refused,
  // not resumed with wrong numbers.
  std::ofstream(dir + "/small.yaml") << kSmallConfig;
  REQUIRE(
      RunMnemo("train " + dir + "/small.yaml --set train.max_iterations=2 --out " + dir + "/run",
               dir)
          .first == 0);
  const std::string state = Slurp(dir + "/run/state.bin");
  std::string damaged = state;
  damaged[damaged.size() / 2] = static_cast<char>(~damaged[damaged.size() / 2]);
  std::ofstream(dir + "/run/state.bin", std::ios::binary | std::ios::trunc) << damaged;
  expect_refusal("train --resume " + dir + "/run", "run/state.bin: file is truncated or corrupt");
  std::ofstream(dir + "/run/state.bin", std::ios::binary | std::ios::trunc)
      << state.substr(0, state.size() - 3);
  expect_refusal("train --resume " + dir + "/run", "run/state.bin: file is truncated or corrupt");
  std::ofstream(dir + "/run/state.bin", std::ios::binary | std::ios::trunc) << state;
  CHECK(RunMnemo("train --resume " + dir + "/run", dir).first == 0);
  fs::remove_all(dir);
}

TEST_CASE("mnemo eval scores a run's policy on the run's task options, reproducibly") {
  const std::string dir = TempDir("eval");
  std::ofstream(dir + "/small.yaml") << kSmallConfig;  // 100-step episodes
  REQUIRE(
      RunMnemo("train " + dir + "/small.yaml --set train.max_iterations=2 --out " + dir + "/run",
               dir)
          .first == 0);
  // The JSON of evaluating the run's best policy with `options`.
  const auto eval = [&](const std::string& policy, const std::string& options) {
    const std::string args = "eval " + policy + " --episodes 3 --json " + options;
    INFO(args);
    REQUIRE(RunMnemo(args, dir).first == 0);
    return nlohmann::json::parse(Slurp(dir + "/out.txt"));
  };
  const std::string best = dir + "/run/policy_best.json";
  const nlohmann::json first = eval(best, "--seed 4 --threads 2");
  CHECK(first["task"] == "HalfCheetah");
  CHECK(first["max_episode_steps"] == 100);
  CHECK(first["task_options_from"].get<std::string>().ends_with("run/config.yaml"));
  CHECK(first["lengths"] == std::vector<int>{100, 100, 100});
  CHECK(first["returns"].size() == 3);
  CHECK(eval(best, "--seed 4 --threads 1") == first);  // same seed, any thread count
  CHECK(eval(best, "--seed 5")["returns"] != first["returns"]);
  CHECK(eval(best, "--max-steps 30")["lengths"] == std::vector<int>{30, 30, 30});
  // A checkpoint finds its run folder one level up.
  CHECK(eval(dir + "/run/checkpoints/policy_000002.json", "")["max_episode_steps"] == 100);
  // Outside any run folder: the task's defaults (1000 steps).
  fs::copy_file(best, dir + "/loose.json");
  const nlohmann::json loose = eval(dir + "/loose.json", "");
  CHECK(loose["max_episode_steps"] == 1000);
  CHECK(loose["task_options_from"] == "");
  fs::remove_all(dir);
}

TEST_CASE("mnemo list --json names every registered task, method and updater") {
  const std::string dir = TempDir("list");
  REQUIRE(RunMnemo("list --json", dir).first == 0);
  const nlohmann::json list = nlohmann::json::parse(Slurp(dir + "/out.txt"));
  // The names of the entries of one section.
  const auto names = [&](const char* section) {
    std::set<std::string> out;
    for (const auto& entry : list[section]) out.insert(entry["name"].get<std::string>());
    return out;
  };
  // The names registered in this program (which links the same code).
  const auto registered = [](const auto& registry) {
    std::set<std::string> out;
    for (const auto& entry : registry.Entries()) out.insert(entry.name);
    return out;
  };
  CHECK(names("tasks") == registered(Tasks()));
  std::set<std::string> search_methods;
  for (const auto& [name, description] : SearchMethodDescriptions()) search_methods.insert(name);
  CHECK(names("search_methods") == search_methods);
  CHECK(names("updaters") == registered(Updaters()));
  CHECK(names("policies") == registered(Policies()));
  CHECK(names("tasks").count("HalfCheetah") == 1);
  CHECK(names("weights").count("mnemosyne_coordinatewise.weights") == 1);
  for (const auto& task : list["tasks"]) CHECK(task["obs_dim"].get<int>() > 0);
  fs::remove_all(dir);
}

TEST_CASE("a resumed run gives exactly the numbers of an uninterrupted one, for every method") {
  const std::string dir = TempDir("resume");
  std::ofstream(dir + "/small.yaml") << kSmallConfig;
  const std::vector<std::pair<std::string, std::vector<std::string>>> methods = {
      {"ars_sgd", {}},
      {"ars_adam", {"optimizer={type: adam, lr: 0.01}"}},
      {"ars_mnemosyne_coordinatewise",
       {"optimizer={type: mnemosyne_coordinatewise, weights: "
        "configs/weights/mnemosyne_coordinatewise.weights}",
        "train.snapshot_every=1"}},
      {"ars_lstm", {"optimizer={type: lstm, weights: configs/weights/lstm.weights}"}},
      // The controller's meta-trained weights (not the neutral start, whose
      // zero outputs would hide a wrongly restored memory), sigma control
      // included.
      {"ars_mnemosyne",
       {"search.step_size=0.02",
        "optimizer={type: mnemosyne, weights: configs/weights/mnemosyne.weights}",
        "train.snapshot_every=1"}},
      // The adaptive rule, alone and as the untrained controller's anchor (a
      // step large enough that its gain moves and its returns may collapse).
      {"ars_nominal_adaptive", {"search.step_size=0.2", "optimizer={type: nominal_adaptive}"}},
      {"ars_mnemosyne_anchored",
       {"search.step_size=0.2", "optimizer={type: mnemosyne, adaptive_anchor: true}"}},
      {"openai_es",
       {"search={type: openai_es, directions: 4, sigma: 0.02}",
        "optimizer={type: adam, lr: 0.01}"}},
      // tol_x this large restarts CMA-ES after every iteration: restarts
      // fall on both sides of the interruption.
      {"cma_es", {"search={type: cma_es, sigma: 0.1, restarts: 4, tol_x: 1e9}"}},
  };
  for (const auto& method : methods) {
    const std::string& name = method.first;
    const std::vector<std::string>& sets = method.second;
    INFO(name);
    const TrainConfig config = LoadTrainConfig(dir + "/small.yaml", sets);
    const std::string straight = dir + "/" + name + "_straight";
    const std::string stopped = dir + "/" + name + "_stopped";
    Trainer(config, straight).Run();
    {
      Trainer first(config, stopped);
      first.Run([&](const IterationReport& r) {
        if (r.iteration == 3) first.Stop();
      });
    }
    // A kill during the next iteration would leave a partial row behind.
    std::ofstream(stopped + "/metrics.csv", std::ios::app) << "4,999,12";
    // Resumed on 1 thread instead of 2: the numbers do not depend on it.
    CHECK(Trainer::Resume(stopped, 1)->Run().iterations == 6);
    const auto expected = ReproducibleFiles(straight);
    CHECK(expected.count("checkpoints/policy_000006.json") == 1);
    CHECK(expected.size() >= 6);  // metrics x2, policies x2, checkpoints
    CheckSameRunFiles(stopped, straight);
    // sessions.csv records both sessions with their thread counts.
    const std::vector<RunSession> sessions = ReadRunSessions(stopped);
    REQUIRE(sessions.size() == 2);
    CHECK(sessions[0].iteration == 0);
    CHECK(sessions[0].episodes == 0);
    CHECK(sessions[0].threads == 2);
    CHECK(sessions[1].iteration == 3);
    CHECK(sessions[1].episodes > 0);
    CHECK(sessions[1].threads == 1);
    CHECK(sessions[1].started_utc.size() == std::string("2026-11-29T08:44:43Z").size());
  }
  // The Mnemosyne run's optimizer snapshots are among the compared files.
  CHECK(ReproducibleFiles(dir + "/ars_mnemosyne_straight").size() >
        ReproducibleFiles(dir + "/ars_sgd_straight").size());
  // A new run refuses a folder that already holds one.
  CHECK_THROWS_WITH_AS(
      Trainer(ParseTrainConfig(kSmallConfig, "small.yaml"), dir + "/ars_sgd_straight"),
      doctest::Contains("already holds a run"), Error);
  fs::remove_all(dir);
}

TEST_CASE("checkpoints and snapshots are listed by exact name, not an atomic write's temp file") {
  const std::string dir = TempDir("numbered");
  for (const std::string& name :
       {CheckpointFileName(120), CheckpointFileName(20), CheckpointFileName(3) + ".tmp.77.0",
        std::string("policy_.json"), std::string("policy_12x.json"), SnapshotFileName(40),
        SnapshotFileName(3) + ".tmp.77.0", std::string("policy_best.json")}) {
    std::ofstream(dir + "/" + name) << "{}";
  }
  CHECK(CheckpointFileName(120) == "policy_000120.json");
  CHECK(NumberedFiles(dir, "policy_") == std::vector<int>{20, 120});
  CHECK(NumberedFiles(dir, "optimizer_") == std::vector<int>{40});
  CHECK(ListUpdaterSnapshots(dir) == std::vector<int>{40});
  CHECK(NumberedFiles(dir + "/none", "policy_").empty());
  fs::remove_all(dir);
}

TEST_CASE("a malformed sessions.csv is an error naming the file and line") {
  const std::string dir = TempDir("sessions");
  CHECK(ReadRunSessions(dir).empty());
  AppendRunSession(dir, {"2026-11-29T08:00:00Z", 0, 0, 2});
  std::ofstream(dir + "/sessions.csv", std::ios::app) << "2026-11-29T09:00:00Z,4,x,1\n";
  CHECK_THROWS_WITH_AS(ReadRunSessions(dir), doctest::Contains("sessions.csv:3: iteration"), Error);
  // A run started afresh (its predecessor died before any checkpoint) starts
  // a new log.
  Trainer fresh(ParseTrainConfig(kSmallConfig, "small.yaml"), dir);
  REQUIRE(ReadRunSessions(dir).size() == 1);
  CHECK(ReadRunSessions(dir)[0].threads == 2);
  fs::remove_all(dir);
}

TEST_CASE("a learned-optimizer run folder keeps its weights and resumes anywhere") {
  const std::string dir = TempDir("weights_path");
  // The config names the weights relative to itself, as the shipped ones do.
  const std::string config_dir = std::string(MNEMO_SOURCE_DIR) + "/configs/train";
  const TrainConfig config = LoadTrainConfig(config_dir + "/swimmer_mnemosyne.yaml",
                                             {"train.max_iterations=2", "train.max_episodes=0",
                                              "train.threads=1", "task.max_episode_steps=50"});
  {
    Trainer first(config, dir + "/run");
    first.Run([&](const IterationReport& r) {
      if (r.iteration == 1) first.Stop();
    });
  }
  // The run folder holds a copy of the weights and its config names it, so
  // the folder resumes from another working directory after being moved.
  const std::string saved = Slurp(dir + "/run/config.yaml");
  CHECK(saved.find("weights: optimizer.weights\n") != std::string::npos);
  CHECK(Slurp(dir + "/run/optimizer.weights") ==
        Slurp(config_dir + "/../weights/mnemosyne.weights"));
  fs::rename(dir + "/run", dir + "/moved");
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  std::ofstream("optimizer.weights") << "not the run's weights";  // must not be picked up
  auto resumed = Trainer::Resume(dir + "/moved");
  CHECK(resumed->Run().iterations == 2);
  fs::current_path(cwd);
  // The shipped weights are found by their repository path from anywhere.
  fs::current_path(dir);
  CHECK_NOTHROW(ParseTrainConfig(
      "search: {type: ars}\noptimizer: {type: mnemosyne_coordinatewise, weights: "
      "configs/weights/mnemosyne_coordinatewise.weights}\ntrain: {max_episodes: 10}\n",
      "inline.yaml"));
  CHECK_THROWS_WITH_AS(
      ParseTrainConfig("search: {type: ars}\noptimizer: {type: lstm, weights: nowhere.weights}\n"
                       "train: {max_episodes: 10}\n",
                       "inline.yaml"),
      doctest::Contains("inline.yaml:2: optimizer.weights: weights file not found"), Error);
  fs::current_path(cwd);
  fs::remove_all(dir);
}

TEST_CASE("a short HalfCheetah ARS run's return goes up") {
  const std::string dir = TempDir("learn");
  std::string text = kSmallConfig;
  text.replace(text.find("max_episode_steps: 100"), 22, "max_episode_steps: 300");
  text.replace(text.find("directions: 4"), 13, "directions: 8");
  text.replace(text.find("max_iterations: 6"), 17, "max_iterations: 30");
  text.replace(text.find("eval_every: 2"), 13, "eval_every: 1");
  Trainer trainer(ParseTrainConfig(text, "learn.yaml"), dir + "/run");
  const TrainSummary s = trainer.Run();
  CHECK(s.episodes == 30 * 16);
  // The evaluation return after the first iteration against the last.
  std::vector<double> evaluations;
  std::stringstream rows(Slurp(dir + "/run/metrics.csv"));
  std::string row;
  std::getline(rows, row);
  REQUIRE(row.find("eval_return_mean") != std::string::npos);
  while (std::getline(rows, row)) {
    std::stringstream cells(row);
    std::string cell;
    for (int col = 0; col <= 6; ++col) std::getline(cells, cell, ',');
    evaluations.push_back(std::stod(cell));  // column 6: eval_return_mean
  }
  REQUIRE(evaluations.size() == 30);
  INFO("first evaluation " << evaluations.front() << ", last " << evaluations.back());
  CHECK(evaluations.back() == s.final_eval_return);
  CHECK(evaluations.back() > evaluations.front() + 150.0);
  fs::remove_all(dir);
}

}  // namespace

TEST_CASE("thread counts are bounded and command-line values checked in words (issue 30, 5, 7)") {
  const std::string dir = TempDir("cli_bounds");
  const auto expect_refusal = [&](const std::string& args, const std::string& needle) {
    INFO(args);
    const auto result = RunMnemo(args, dir);
    const std::string& err = result.second;
    INFO(err);
    CHECK(result.first == 2);
    CHECK(err.find(needle) != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(err.size() < 400);  // no 300-digit bound
  };
  const std::string source = MNEMO_SOURCE_DIR;
  // eval --threads 100000 ran 100000 threads; negative counts passed.
  for (const char* threads : {"100000", "-1"}) {
    expect_refusal("eval " + dir + "/p.json --threads " + threads,
                   std::string("mnemo: error: --threads: must be a thread count from 0 (all "
                               "cores) to 1024, not ") +
                       threads);
  }
  expect_refusal("rollout-bench --threads 5000", "--threads: must be a thread count");
  expect_refusal("bench " + source + "/configs/bench/quick.yaml --jobs 2000 --out " + dir + "/b",
                 "--jobs: must be an integer from 0 to 1024, not '2000'");
  expect_refusal("train " + source + "/configs/train/swimmer_ars.yaml --set train.threads=2000 " +
                     "--out " + dir + "/run",
                 "train.threads: value 2000 is out of range [0, 1024]");
  expect_refusal("meta-train " + source + "/configs/meta/tiny.yaml --set meta.threads=2000 " +
                     "--out " + dir + "/meta",
                 "meta.threads: value 2000 is out of range [0, 1024]");
  std::ofstream(dir + "/bench.yaml") << "threads: 5000\nseeds: [1]\ntasks: {Swimmer: "
                                        "{max_episodes: 8}}\nmethods: {ars: {config: "
                                        "configs/train/swimmer_ars.yaml}}\n";
  expect_refusal("bench " + dir + "/bench.yaml --out " + dir + "/b",
                 "threads: value 5000 is out of range [0, 1024]");
  std::ofstream(dir + "/meta_eval.yaml") << "threads: 5000\n";
  expect_refusal("meta-eval " + dir + "/meta_eval.yaml",
                 "threads: value 5000 is out of range [0, 1024]");
  CHECK_THROWS_WITH_AS(ThreadPool(100000), doctest::Contains("from 0 (all cores) to 1024"), Error);
  CHECK_THROWS_AS(ThreadPool(-2), Error);
  // "--episodes: Value 0 not in range 0.000000 to 17976931..." (300 digits).
  expect_refusal("eval " + dir + "/p.json --episodes 0",
                 "mnemo: error: --episodes: must be an integer from 1 to 1000000, not '0'");
  expect_refusal("eval " + dir + "/p.json --max-steps 0",
                 "mnemo: error: --max-steps: must be an integer from 1 to 100000, not '0'");
  // --seed -1 was taken as 2^64 - 1 though --help says unsigned.
  expect_refusal("eval " + dir + "/p.json --seed -1",
                 "mnemo: error: --seed: must be an integer from 0 to 18446744073709551615, not "
                 "'-1'");
  // An over-long weights path gave "filesystem error: status: File name too
  // long" without the key.
  expect_refusal("train " + source + "/configs/train/swimmer_ars.yaml --set optimizer.type=lstm " +
                     "--set optimizer.weights=" + std::string(5000, 'w') + " --out " + dir + "/run",
                 "optimizer.weights: cannot use the path: File name too long");
  fs::remove_all(dir);
}
