// Tests of `mnemo bench`: statistics on hand-made metrics logs, bench config
// errors, and a tiny bench end to end (tables, CSV, images, reuse, resume).
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "apps/lib/bench/bench_results.h"
#include "apps/lib/bench/bench_runner.h"
#include "apps/lib/bench/bench_stats.h"
#include "apps/lib/bench/results_table.h"
#include "apps/lib/bench/robustness_plot.h"
#include "apps/lib/bench/run_log.h"
#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "core/es/gradient_estimator.h"
#include "core/es/search_method_list.h"
#include "core/es/strategy.h"
#include "core/io/folder_lock.h"
#include "core/io/text_file.h"
#include "core/optim/learned_weights_file.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "core/util/error.h"
#include "envs/task.h"
#include "envs/task_list.h"
#include "policies/policy.h"
#include "policies/policy_list.h"
#include "tests/test_files.h"

using namespace mnemo;
using mnemo::testing::Shell;
using mnemo::testing::Slurp;
using mnemo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Whether `path` is a PNG image of more than `min_bytes` bytes.
bool IsPng(const std::string& path, std::size_t min_bytes) {
  const std::string bytes = Slurp(path);
  return bytes.size() > min_bytes && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

// A metrics log with evaluations every other iteration (returns 10, 50, 90).
const char* kMetrics =
    "iteration,episodes,env_steps,wall_seconds,train_return_mean,train_return_max,"
    "eval_return_mean,eval_return_std,ascent_norm,step_norm,unstable_episodes\n"
    "1,16,1600,0.5,1,2,,,0.1,0.1,0\n"
    "2,32,3700,1.0,2,3,10,1,0.1,0.1,0\n"
    "3,48,5300,1.5,3,4,,,0.1,0.1,0\n"
    "4,64,7400,2.0,4,5,50,1,0.1,0.1,0\n"
    "5,80,9000,2.5,5,6,,,0.1,0.1,0\n"
    "6,96,11100,3.0,6,7,90,1,0.1,0.1,0\n";

// The error message of parsing `text` as a bench file named bench.yaml.
std::string BenchError(const std::string& text) {
  try {
    ParseBenchConfig(text, "bench.yaml", MNEMO_SOURCE_DIR);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

// A tiny bench: 2 tasks x 2 methods x 2 seeds, short episodes, small budgets.
const char* kTinyBench = R"(
seeds: [1, 2]
threads: 2
set: [train.eval_every=2, train.eval_episodes=2, train.checkpoint_every=1000,
      train.snapshot_every=0]
tasks:
  Swimmer:
    max_episodes: 160
    threshold: 5
    set: [task.max_episode_steps=150]
  HalfCheetah:
    max_episodes: 160
    set: [task.max_episode_steps=150]
methods:
  ars:
    label: ARS V2-t
    config:
      Swimmer: configs/train/swimmer_ars.yaml
      HalfCheetah: configs/train/half_cheetah_ars.yaml
    set: [search.directions=4, search.top_directions=2]
  openai_es:
    label: OpenAI-ES
    config: configs/train/half_cheetah_openai_es.yaml
    set: [search.directions=4]
  mnemosyne:
    label: Mnemosyne-ES
    config: configs/train/half_cheetah_ars.yaml
    enabled: false
)";

// Modification times of every summary.json under `dir`.
std::map<std::string, fs::file_time_type> SummaryTimes(const std::string& dir) {
  std::map<std::string, fs::file_time_type> times;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename() == "summary.json") times[e.path().string()] = e.last_write_time();
  }
  return times;
}

// Runs `mnemo bench` with `args` (output to `log`); returns the exit status.
int RunMnemoBench(const std::string& args, const std::string& log) {
  return Shell(std::string(MNEMO_BINARY_DIR) + "/mnemo bench " + args + " > " + log + " 2>&1");
}

}  // namespace

TEST_CASE("quantiles are type 7: linear interpolation between order statistics") {
  CHECK(Median({3, 1, 2}) == 2);
  CHECK(Median({4, 1, 3, 2}) == doctest::Approx(2.5));
  const Quartiles q = QuartilesOf({1, 2, 3, 4});
  CHECK(q.q1 == doctest::Approx(1.75));
  CHECK(q.median == doctest::Approx(2.5));
  CHECK(q.q3 == doctest::Approx(3.25));
  CHECK(Quantile({7}, 0.25) == 7);
  CHECK(Quantile({10, 0, 20, 30, 40}, 0.25) == doctest::Approx(10));
  CHECK(std::isnan(Median({})));
  // A run that never reached the threshold counts as +infinity.
  const Quartiles with_never = QuartilesOf({100, 200, kInf});
  CHECK(with_never.q1 == doctest::Approx(150));
  CHECK(with_never.median == doctest::Approx(200));
  CHECK(std::isinf(with_never.q3));
  CHECK(std::isinf(Median({100, kInf, kInf})));
  CHECK(std::isinf(Median({kInf, kInf})));
  // Five seeds, as in the full bench: 3 solved give a finite median, 2 do not.
  const Quartiles three = QuartilesOf({700, kInf, 300, kInf, 520});
  CHECK(three.q1 == 520);
  CHECK(three.median == 700);
  CHECK(std::isinf(three.q3));
  const Quartiles two = QuartilesOf({kInf, 16160, kInf, 6720, kInf});
  CHECK(two.q1 == 16160);
  CHECK(std::isinf(two.median));
  // Half of an even count failed: never, quartiles included (1 of 2 solved).
  CHECK(std::isinf(Median({100, 200, kInf, kInf})));
  const Quartiles half = QuartilesOf({216, kInf});
  CHECK(std::isinf(half.q1));
  CHECK(std::isinf(half.median));
}

TEST_CASE("success rate and episodes to threshold from a metrics log") {
  const RunLog log = ParseMetricsCsv(kMetrics, "metrics.csv");
  REQUIRE(log.evaluations.size() == 3);
  CHECK(log.rows == 6);
  CHECK(log.episodes == 96);
  CHECK(log.env_steps == 11100);
  CHECK(log.wall_seconds == 3.0);
  CHECK(log.evaluations[1].episodes == 64);
  CHECK(EpisodesToThreshold(log.evaluations, 40) == 64);
  CHECK(EpisodesToThreshold(log.evaluations, 50) == 64);  // reaching it counts
  CHECK(EpisodesToThreshold(log.evaluations, 5) == 32);
  CHECK(std::isinf(EpisodesToThreshold(log.evaluations, 90.5)));  // never reached
  CHECK(FinalReturn(log.evaluations) == 90);
  // Evaluations at 32, 64, 96 episodes: the trapezoids' area over 64 episodes.
  const double a = log.evaluations[0].eval_return;
  CHECK(MeanReturn(log.evaluations) == doctest::Approx((0.5 * (a + 50) + 0.5 * (50 + 90)) / 2));
  // Uneven spacing weighs each stretch by its episodes; one point is itself.
  CHECK(MeanReturn({{0, 0}, {10, 10}, {40, 10}}) == doctest::Approx((50 + 300) / 40.0));
  CHECK(MeanReturn({{5, 7}}) == 7);
  CHECK(std::isnan(MeanReturn({})));
  CHECK(ReturnAt(log.evaluations, 70) == 50);
  CHECK(std::isnan(ReturnAt(log.evaluations, 20)));
  CHECK(SuccessRate({64, kInf, 32, kInf}) == doctest::Approx(0.5));
  CHECK(SuccessRate({kInf}) == 0);
  CHECK(SuccessRate({1, 2}) == 1);
}

TEST_CASE("metrics log errors name the file, line and column") {
  try {
    ParseMetricsCsv("episodes,env_steps,wall_seconds,eval_return_mean\n1,2,3,x\n", "m.csv");
    FAIL("accepted a bad number");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("m.csv:2: eval_return_mean") != std::string::npos);
  }
  CHECK_THROWS_AS(ParseMetricsCsv("episodes,env_steps\n1,2\n", "m.csv"), Error);
  CHECK(ParseMetricsCsv("", "m.csv").rows == 0);
}

TEST_CASE("learning-curve bands over seeds start where every run has evaluated") {
  const std::vector<EvalPoint> a{{20, 1}, {40, 3}, {60, 5}};
  const std::vector<EvalPoint> b{{30, 2}, {50, 4}, {64, 8}};
  const std::vector<BandPoint> band = CurveBand({a, b}, 60, 6);
  REQUIRE(band.size() == 4);  // 30, 40, 50, 60: at 10 and 20 run b has no evaluation yet
  CHECK(band[0].episodes == 30);
  CHECK(band[0].value.median == doctest::Approx(1.5));
  CHECK(band[1].value.median == doctest::Approx(2.5));  // a: 3, b: 2
  CHECK(band[3].episodes == 60);
  CHECK(band[3].value.median == doctest::Approx(6.5));  // final evaluations 5 and 8
}

TEST_CASE("bench config errors name the file, line and key") {
  const std::string head = "seeds: [1]\ntasks:\n  Swimmer: {max_episodes: 100}\nmethods:\n";
  CHECK(BenchError(head + "  ars:\n    config: configs/train/swimmer_ars.yaml\n    bogus: 1\n")
            .find("bench.yaml:7: methods.ars.bogus: unknown key") != std::string::npos);
  CHECK(BenchError("seeds: [1, x]\n").find("bench.yaml:1: seeds") != std::string::npos);
  CHECK(BenchError("seeds: [1]\nthreads: -1\n").find("bench.yaml:2: threads: value -1 is out") !=
        std::string::npos);
  CHECK(BenchError("seeds: [1, 1]\n").find("listed twice") != std::string::npos);
  // Thresholds must be positive (0 would count every run whose first evaluation
  // is not negative as solved; the trainer ignores a threshold <= 0).
  CHECK(BenchError("seeds: [1]\ntasks:\n  Swimmer: {max_episodes: 10, threshold: 0}\n")
            .find("bench.yaml:3: tasks.Swimmer.threshold: value 0 is out of range") !=
        std::string::npos);
  CHECK(BenchError("seeds: [1]\ntasks:\n  Swimer: {max_episodes: 10}\n")
            .find("bench.yaml:3: tasks.Swimer: unknown task") != std::string::npos);
  CHECK(BenchError("seeds: [1]\ntasks:\n  Swimmer: {max_episodes: 0}\n")
            .find("tasks.Swimmer.max_episodes: value 0 is out of range") != std::string::npos);
  CHECK(BenchError(head + "  ars:\n    config: {Hopper: configs/train/hopper_ars.yaml}\n")
            .find("bench.yaml:6: methods.ars.config: no config for task Swimmer") !=
        std::string::npos);
  CHECK(BenchError(head + "  ars:\n    config: nowhere.yaml\n").find("file not found") !=
        std::string::npos);
  // A file name longer than the file system allows (found by the config
  // fuzz target: std::filesystem's error escaped as an internal error).
  CHECK(BenchError(head + "  ars:\n    config: configs/train/" + std::string(300, 'a') + "\n")
            .find("bench.yaml:6: methods.ars.config: cannot use the path: File name too long") !=
        std::string::npos);
  CHECK(BenchError(head + "  a b:\n    config: configs/train/swimmer_ars.yaml\n")
            .find("methods.a b") != std::string::npos);
  CHECK(BenchError(head + "  ars:\n    config: configs/train/swimmer_ars.yaml\n"
                          "    set: [search.sigma]\n")
            .find("bench.yaml:7: methods.ars.set") != std::string::npos);
  CHECK(BenchError(head + "  ars:\n    config: configs/train/swimmer_ars.yaml\n"
                          "    enabled: false\n")
            .find("no enabled method") != std::string::npos);
  // An override the training config rejects names the bench file and method.
  const BenchConfig bad = ParseBenchConfig(
      head + "  ars:\n    config: configs/train/swimmer_ars.yaml\n    set: [search.bogus=1]\n",
      "bench.yaml", MNEMO_SOURCE_DIR);
  try {
    CellTrainConfig(bad, ListCells(bad, "out")[0], 1);
    FAIL("accepted search.bogus");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK(what.find("bench.yaml:6: methods.ars: method ars on Swimmer") != std::string::npos);
    CHECK(what.find("bogus") != std::string::npos);
  }
}

TEST_CASE("a part of a bench keeps the named tasks and methods, in file order") {
  const std::string text =
      "seeds: [1, 2]\ntasks:\n  Swimmer: {max_episodes: 100}\n  Hopper: {max_episodes: 100}\n"
      "methods:\n  ars:\n    config: configs/train/swimmer_ars.yaml\n"
      "  cma:\n    config: configs/train/half_cheetah_cma_es.yaml\n"
      "  off:\n    config: configs/train/swimmer_ars.yaml\n    enabled: false\n";
  const BenchConfig whole = ParseBenchConfig(text, "bench.yaml", MNEMO_SOURCE_DIR);
  BenchConfig part = whole;
  SelectBenchPart({"Hopper"}, {"cma", "ars"}, &part);
  REQUIRE(part.tasks.size() == 1);
  CHECK(part.tasks[0].name == "Hopper");
  REQUIRE(part.methods.size() == 2);
  CHECK(part.methods[0].id == "ars");
  CHECK(part.methods[1].id == "cma");
  // The part's runs are the whole bench's runs of those tasks and methods
  // (same folders), so the whole bench reuses them later.
  std::set<std::string> whole_folders;
  for (const BenchCell& c : ListCells(whole, "out")) whole_folders.insert(c.dir);
  const std::vector<BenchCell> part_cells = ListCells(part, "out");
  CHECK(part_cells.size() == 4);
  for (const BenchCell& c : part_cells) CHECK(whole_folders.count(c.dir) == 1);
  // Empty lists keep everything.
  BenchConfig all = whole;
  SelectBenchPart({}, {}, &all);
  CHECK(all.tasks.size() == 2);
  CHECK(all.methods.size() == 3);
  // Unknown names and disabled methods are refused by name.
  const auto error_of = [&](const std::vector<std::string>& tasks,
                            const std::vector<std::string>& methods) -> std::string {
    BenchConfig c = whole;
    try {
      SelectBenchPart(tasks, methods, &c);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of({"Ant"}, {}).find("no task 'Ant'") != std::string::npos);
  CHECK(error_of({}, {"adam"}).find("no method 'adam'") != std::string::npos);
  CHECK(error_of({}, {"off"}).find("'off' is disabled") != std::string::npos);
}

TEST_CASE("shards are disjoint and together hold every cell") {
  const BenchConfig config = ParseBenchConfig(kTinyBench, "tiny.yaml", MNEMO_SOURCE_DIR);
  const std::vector<BenchCell> cells = ListCells(config, "out");
  REQUIRE(cells.size() == 8);
  std::multiset<std::string> together;
  std::vector<std::size_t> sizes;
  for (int k = 1; k <= 3; ++k) {
    const std::vector<BenchCell> shard = ShardCells(cells, k, 3);
    sizes.push_back(shard.size());
    for (const BenchCell& c : shard) together.insert(c.dir);
    // Each shard gets both tasks.
    std::set<int> tasks;
    for (const BenchCell& c : shard) tasks.insert(c.task);
    CHECK(tasks.size() == 2);
  }
  CHECK(sizes == std::vector<std::size_t>{3, 3, 2});
  std::multiset<std::string> every;
  for (const BenchCell& c : cells) every.insert(c.dir);
  CHECK(together == every);
  CHECK(ShardCells(cells, 1, 1).size() == 8);
  CHECK_THROWS_WITH_AS(ShardCells(cells, 0, 3), doctest::Contains("shard 0/3 does not exist"),
                       Error);
  CHECK_THROWS_WITH_AS(ShardCells(cells, 4, 3), doctest::Contains("shard 4/3 does not exist"),
                       Error);
}

TEST_CASE("a bench run in shards writes its report once every shard is done") {
  const std::string dir = TempDir("shards");
  std::ofstream(dir + "/tiny.yaml") << kTinyBench;
  const std::string args =
      dir + "/tiny.yaml --out " + dir + "/out --tasks Swimmer --methods ars --shard ";
  CHECK(RunMnemoBench(args + "1/2", dir + "/log1.txt") == 0);
  INFO(Slurp(dir + "/log1.txt"));
  CHECK(fs::exists(dir + "/out/Swimmer/ars/s1/summary.json"));
  CHECK(!fs::exists(dir + "/out/Swimmer/ars/s2"));
  CHECK(!fs::exists(dir + "/out/results.md"));
  CHECK(Slurp(dir + "/log1.txt").find("1 of the bench's 2 runs are finished") != std::string::npos);
  CHECK(RunMnemoBench(args + "2/2", dir + "/log2.txt") == 0);
  INFO(Slurp(dir + "/log2.txt"));
  const std::string md = Slurp(dir + "/out/results.md");
  CHECK(md.find("shard 2/2 finished last and wrote this report") != std::string::npos);
  CHECK(md.find("0 reused from earlier sessions, 1 run by other shards or processes, 1 run "
                "here") != std::string::npos);
  CHECK(md.find("| ARS V2-t | ") != std::string::npos);
  CHECK(RunMnemoBench(args + "3/2", dir + "/log3.txt") == 2);
  CHECK(Slurp(dir + "/log3.txt").find("shard 3/2 does not exist") != std::string::npos);
  CHECK(RunMnemoBench(args + "two", dir + "/log4.txt") == 2);
  CHECK(Slurp(dir + "/log4.txt").find("expected K/N") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a moved bench folder's learned-optimizer runs are recognised by their weights") {
  const std::string dir = TempDir("moved");
  std::string text = kTinyBench;
  text.replace(text.find("enabled: false"), 14, "enabled: true");
  BenchConfig config = ParseBenchConfig(text, "tiny.yaml", MNEMO_SOURCE_DIR);
  SelectBenchPart({"Swimmer"}, {"mnemosyne"}, &config);
  config.seeds = {1};
  config.methods[0].overrides.push_back(
      "optimizer={type: mnemosyne_coordinatewise, weights: "
      "configs/weights/mnemosyne_coordinatewise.weights}");
  const std::vector<BenchCell> cells = ListCells(config, dir + "/out");
  REQUIRE(cells.size() == 1);
  CHECK(RunBenchCells(config, cells, PlanBench(1, 1, 0), {})[0] == CellOutcome::kRan);
  // The bench folder moves, and the weights now come from another place (as
  // on a machine with the repository elsewhere): the run is still reused.
  fs::rename(dir + "/out", dir + "/moved");
  fs::copy_file(std::string(MNEMO_SOURCE_DIR) + "/configs/weights/mnemosyne_coordinatewise.weights",
                dir + "/same.weights");
  config.methods[0].overrides.back() =
      "optimizer={type: mnemosyne_coordinatewise, weights: " + dir + "/same.weights}";
  const std::vector<BenchCell> moved = ListCells(config, dir + "/moved");
  CHECK(RunBenchCells(config, moved, PlanBench(1, 1, 0), {})[0] == CellOutcome::kReused);
  // Other weights make another config, whatever the path says.
  LearnedWeights other = ReadLearnedWeights(dir + "/same.weights", "mnemosyne");  // its kind tag
  other.numbers[0] += 0.5;
  WriteLearnedWeights(dir + "/same.weights", other);
  CHECK_THROWS_WITH_AS(RunBenchCells(config, moved, PlanBench(1, 1, 0), {}),
                       doctest::Contains("holds a run of another config"), Error);
  fs::remove_all(dir);
}

TEST_CASE("an edited task MJCF file is not mistaken for the one a run was made with") {
  const std::string dir = TempDir("mjcf");
  fs::copy_file(std::string(MNEMO_SOURCE_DIR) + "/envs/assets/swimmer.xml", dir + "/swimmer.xml");
  BenchConfig config = ParseBenchConfig(kTinyBench, "tiny.yaml", MNEMO_SOURCE_DIR);
  SelectBenchPart({"Swimmer"}, {"ars"}, &config);
  config.seeds = {1};
  config.tasks[0].overrides.push_back("task.xml=" + dir + "/swimmer.xml");
  const std::vector<BenchCell> cells = ListCells(config, dir + "/out");
  CHECK(RunBenchCells(config, cells, PlanBench(1, 1, 0), {})[0] == CellOutcome::kRan);
  CHECK(fs::exists(cells[0].dir + "/bench_fingerprint.yaml"));
  CHECK(RunBenchCells(config, cells, PlanBench(1, 1, 0), {})[0] == CellOutcome::kReused);
  std::ofstream(dir + "/swimmer.xml", std::ios::app) << "<!-- edited -->\n";
  CHECK_THROWS_WITH_AS(RunBenchCells(config, cells, PlanBench(1, 1, 0), {}),
                       doctest::Contains("holds a run of another config"), Error);
  fs::remove_all(dir);
}

TEST_CASE("the shipped revisions: OpenAI-ES and the policies changed once, the others never") {
  CHECK(SearchRevision("openai_es") == 2);
  CHECK(SearchRevision("ars") == 1);
  CHECK(SearchRevision("cma_es") == 1);
  for (const auto& entry : Tasks().Entries()) CHECK(entry.revision == 1);
  // Policies stopped clipping their actions by default.
  for (const auto& entry : Policies().Entries()) CHECK(entry.revision == 2);
  for (const auto& entry : Updaters().Entries()) CHECK(entry.revision == 1);
}

TEST_CASE("a run made before its method's code changed is refused, and says why") {
  const std::string dir = TempDir("revision");
  BenchConfig config = ParseBenchConfig(kTinyBench, "tiny.yaml", MNEMO_SOURCE_DIR);
  SelectBenchPart({"Swimmer"}, {"ars", "openai_es"}, &config);
  config.seeds = {1};
  const std::vector<BenchCell> cells = ListCells(config, dir + "/out");
  REQUIRE(cells.size() == 2);
  RunBenchCells(config, cells, PlanBench(2, 1, 0), {});
  // ARS is at revision 1 and its linear policy at 2: its fingerprint records
  // the policy's only. OpenAI-ES was revised too: its fingerprint says so.
  const std::string ars = Slurp(cells[0].dir + "/bench_fingerprint.yaml");
  const std::string es = Slurp(cells[1].dir + "/bench_fingerprint.yaml");
  CHECK(ars.find("revisions:\n  policy: 2") != std::string::npos);
  CHECK(ars.find("search: 2") == std::string::npos);
  CHECK(es.find("revisions:\n  policy: 2\n  search: 2") != std::string::npos);
  // A run recorded by the code before the revisions.
  std::ofstream(cells[1].dir + "/bench_fingerprint.yaml", std::ios::trunc)
      << es.substr(0, es.find("revisions:"));
  CHECK_THROWS_WITH_AS(RunBenchCells(config, cells, PlanBench(2, 1, 0), {}),
                       doctest::Contains("holds a run made by another version of its method's "
                                         "code (the run: revision 1 throughout; this build: "
                                         "linear revision 2, openai_es revision 2)"),
                       Error);
  // A folder from before fingerprints were recorded predates revisions too.
  fs::remove(cells[1].dir + "/bench_fingerprint.yaml");
  CHECK_THROWS_WITH_AS(RunBenchCells(config, cells, PlanBench(2, 1, 0), {}),
                       doctest::Contains("(the run: revision 1 throughout; this build: linear "
                                         "revision 2, openai_es revision 2)"),
                       Error);
  // A damaged fingerprint file is a refusal, not an internal error.
  std::ofstream(cells[1].dir + "/bench_fingerprint.yaml") << "{ not: [yaml";
  CHECK_THROWS_WITH_AS(RunBenchCells(config, cells, PlanBench(2, 1, 0), {}),
                       doctest::Contains("holds a run of another config"), Error);
  fs::remove_all(dir);
}

TEST_CASE("a cell another process is training is left alone") {
  const std::string dir = TempDir("busy");
  BenchConfig config = ParseBenchConfig(kTinyBench, "tiny.yaml", MNEMO_SOURCE_DIR);
  SelectBenchPart({"Swimmer"}, {"ars"}, &config);
  const std::vector<BenchCell> cells = ListCells(config, dir + "/out");
  REQUIRE(cells.size() == 2);
  {
    const std::optional<FolderLock> held = FolderLock::TryTake(cells[0].dir);
    REQUIRE(held);
    const auto outcomes = RunBenchCells(config, cells, PlanBench(2, 1, 1), {});
    CHECK(outcomes[0] == CellOutcome::kBusy);
    CHECK(outcomes[1] == CellOutcome::kRan);
    CHECK(!fs::exists(cells[0].dir + "/state.bin"));
  }
  const auto outcomes = RunBenchCells(config, cells, PlanBench(2, 1, 1), {});
  CHECK(outcomes[0] == CellOutcome::kRan);
  CHECK(outcomes[1] == CellOutcome::kReused);
  fs::remove_all(dir);
}

TEST_CASE("a task may list its own seeds; the others take the bench's") {
  std::string text = kTinyBench;
  text.replace(text.find("    threshold: 5\n"), 0, "    seeds: [7, 8, 9]\n");
  const BenchConfig config = ParseBenchConfig(text, "tiny.yaml", MNEMO_SOURCE_DIR);
  std::map<std::string, std::vector<std::uint64_t>> seeds;
  for (const BenchCell& cell : ListCells(config, "out")) {
    if (config.methods[cell.method].id == "ars") {
      seeds[config.tasks[cell.task].name].push_back(cell.seed);
    }
  }
  CHECK(seeds["Swimmer"] == std::vector<std::uint64_t>{7, 8, 9});
  CHECK(seeds["HalfCheetah"] == std::vector<std::uint64_t>{1, 2});
  text.replace(text.find("seeds: [7, 8, 9]"), 16, "seeds: [7, 7]");
  CHECK_THROWS_WITH_AS(ParseBenchConfig(text, "tiny.yaml", MNEMO_SOURCE_DIR),
                       doctest::Contains("seed 7 is listed twice"), Error);
}

TEST_CASE("the shipped bench files load and every cell gets a valid config") {
  const std::string folder = std::string(MNEMO_SOURCE_DIR) + "/configs/bench/";
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".yaml") names.insert(entry.path().filename().string());
  }
  CHECK(names.count("quick.yaml") == 1);
  CHECK(names.count("locomotion.yaml") == 1);
  for (const std::string& name : names) {
    INFO(name);
    const BenchConfig c = LoadBenchConfig(folder + name);
    const std::vector<BenchCell> cells = ListCells(c, "out");
    CHECK(!cells.empty());
    for (const BenchCell& cell : cells) {
      const TrainConfig t = CellTrainConfig(c, cell, 1);
      CHECK(t.task == c.tasks[cell.task].name);
      CHECK(t.max_episodes == c.tasks[cell.task].max_episodes);
      CHECK(t.seed == cell.seed);
      // A scaled method runs at m times the step size of its config.
      const BenchMethod& m = c.methods[cell.method];
      const double alpha =
          LoadTrainConfig(MethodConfigFor(m, t.task)).search.GetDouble("step_size", 0);
      if (!c.step_size_scales.empty())
        CHECK(t.search.GetDouble("step_size", 0) == m.step_size_scale * alpha);
    }
  }
}

// A tiny robustness bench: ARS at three step sizes, normalized by itself at 1.
const char* kScaledBench = R"(
seeds: [1]
step_size_scales: [0.25, 1, 4]
reference_method: ars
tasks:
  Swimmer: {max_episodes: 8}
methods:
  ars:
    label: ARS V2-t
    config: configs/train/swimmer_ars.yaml
  openai_es:
    label: OpenAI-ES
    config: configs/train/half_cheetah_openai_es.yaml
)";

TEST_CASE("step_size_scales run every method at m x its config's step size, as <id>_x<m>") {
  BenchConfig config = ParseBenchConfig(kScaledBench, "scaled.yaml", MNEMO_SOURCE_DIR);
  std::vector<std::string> ids;
  for (const BenchMethod& m : config.methods) ids.push_back(m.id);
  CHECK(ids == std::vector<std::string>{"ars_x0.25", "ars", "ars_x4", "openai_es_x0.25",
                                        "openai_es", "openai_es_x4"});
  CHECK(config.methods[0].label == "ARS V2-t (alpha x1/4)");
  CHECK(config.methods[1].label == "ARS V2-t");
  CHECK(config.methods[2].label == "ARS V2-t (alpha x4)");
  const std::vector<BenchCell> cells = ListCells(config, "out");
  REQUIRE(cells.size() == 6);
  CHECK(cells[0].dir == "out/Swimmer/ars_x0.25/s1");
  // Exactly m times the published alpha (0.02), sigma and directions as published.
  const double alpha = 0.02;
  for (int i = 0; i < 3; ++i) {
    const TrainConfig t = CellTrainConfig(config, cells[i], 1);
    CHECK(t.search.GetDouble("step_size", 0) == config.methods[i].step_size_scale * alpha);
    CHECK(t.search.GetDouble("sigma", 0) == 0.01);
  }
  // A part of the bench names a method by its base id (every scale) or one id.
  BenchConfig part = config;
  SelectBenchPart({}, {"ars"}, &part);
  CHECK(part.methods.size() == 3);
  part = config;
  SelectBenchPart({}, {"openai_es_x4"}, &part);
  REQUIRE(part.methods.size() == 1);
  CHECK(part.methods[0].step_size_scale == 4);
  part = config;
  SelectBenchPart({}, {"ars_x1"}, &part);  // the published alpha alone
  REQUIRE(part.methods.size() == 1);
  CHECK(part.methods[0].id == "ars");
  CHECK(part.methods[0].step_size_scale == 1);

  // Bad scales and references are refused where they are written.
  const auto error = [](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return BenchError(text);
  };
  CHECK(error(kScaledBench, "[0.25, 1, 4]", "[1, 4, 4]").find("scale x4 is listed twice") !=
        std::string::npos);
  CHECK(error(kScaledBench, "[0.25, 1, 4]", "[0.25, 4]").find("list 1 in the scales") !=
        std::string::npos);
  CHECK(error(kScaledBench, "reference_method: ars", "reference_method: cma")
            .find("bench.yaml:4: reference_method: not an enabled method") != std::string::npos);
  CHECK(error(kScaledBench, "[0.25, 1, 4]", "[0]").find("step_size_scales") != std::string::npos);
}

TEST_CASE("a robustness bench's rows carry their scale and the area over the reference's") {
  const BenchConfig config = ParseBenchConfig(kScaledBench, "scaled.yaml", MNEMO_SOURCE_DIR);
  BenchResults results;
  const double medians[] = {50, 200, 10, 100, 300, 400};
  for (int m = 0; m < 6; ++m) {
    MethodRow row;
    row.method = m;
    row.seeds = 1;
    row.mean_return = {medians[m] - 10, medians[m], medians[m] + 10};
    results.rows.push_back(row);
  }
  const std::string csv = ResultsCsv(config, results);
  CHECK(csv.substr(0, csv.find('\n'))
            .ends_with(
                ",step_size_scale,normalized_area_median,normalized_area_q1,normalized_area_q3"));
  // ARS at 1/4: 50 / 200; OpenAI-ES at 4: 400 / 200, its band (390, 410) / 200.
  CHECK(csv.find("ars_x0.25,ARS V2-t (alpha x1/4)") != std::string::npos);
  CHECK(csv.find(",0.25,0.25,0.2,0.3\n") != std::string::npos);
  CHECK(csv.find(",1,1,0.95,1.05\n") != std::string::npos);
  CHECK(csv.find(",4,2,1.95,2.05\n") != std::string::npos);
  // The plot's data: per method a block of (m, median, q1, q3), and the
  // report's table with the worst median over m.
  CHECK(RobustnessData(config, results, 0) ==
        "# ARS V2-t: step-size scale, normalized area median q1 q3\n"
        "0.25 0.25 0.2 0.3\n1 1 0.95 1.05\n4 0.05 0 0.1\n\n\n"
        "# OpenAI-ES: step-size scale, normalized area median q1 q3\n"
        "0.25 0.5 0.45 0.55\n1 1.5 1.45 1.55\n4 2 1.95 2.05\n\n\n");
  const std::string script = RobustnessScript(config);
  CHECK(script.find("set output \"robustness.png\"") != std::string::npos);
  CHECK(script.find("\"robustness_Swimmer.dat\" index 1") != std::string::npos);
  const std::string md = ResultsMarkdown(config, results, {});
  CHECK(
      md.find(
          "| Swimmer | ars | 0.25 [0.20, 0.30] | 1.00 [0.95, 1.05] | 0.05 [0.00, 0.10] | 0.05 |") !=
      std::string::npos);
}

TEST_CASE("an interrupted cell is resumed and finishes its budget") {
  const std::string dir = TempDir("resume");
  const std::string text =
      std::string(kTinyBench)
          .replace(std::string(kTinyBench).find("seeds: [1, 2]"), 13, "seeds: [3]");
  BenchConfig config = ParseBenchConfig(text, "tiny.yaml", MNEMO_SOURCE_DIR);
  config.tasks.resize(1);    // Swimmer
  config.methods.resize(1);  // ARS
  const std::vector<BenchCell> cells = ListCells(config, dir);
  REQUIRE(cells.size() == 1);
  {
    // Started on 2 threads, resumed below on the plan's 1.
    Trainer stopped(CellTrainConfig(config, cells[0], 2), cells[0].dir);
    stopped.Run([&](const IterationReport& r) {
      if (r.iteration == 3) stopped.Stop();
    });
  }
  // As the bench records it for a cell it starts.
  WriteFileAtomically(cells[0].dir + "/bench_fingerprint.yaml",
                      ConfigFingerprint(CellTrainConfig(config, cells[0], 2)));
  CHECK(!IsFinishedRun(RunFolder(cells[0].dir), CellTrainConfig(config, cells[0], 1)));
  const auto outcomes = RunBenchCells(config, cells, PlanBench(1, 1, 0), {});
  CHECK(outcomes[0] == CellOutcome::kResumed);
  CHECK(IsFinishedRun(RunFolder(cells[0].dir), CellTrainConfig(config, cells[0], 1)));
  const RunLog log = ReadRunLog(cells[0].dir);
  CHECK(log.episodes >= 160);
  CHECK(log.rows == int(log.episodes / 8));  // every iteration logged once (8 episodes each)
  CHECK(CollectResults(config, cells).cells[0].threads == "2+1");  // both sessions' threads
  // A run started before sessions were logged: its first session's threads
  // come from its config.yaml.
  const std::string sessions = Slurp(cells[0].dir + "/sessions.csv");
  const std::size_t first_row = sessions.find('\n') + 1;
  std::ofstream(cells[0].dir + "/sessions.csv", std::ios::trunc)
      << sessions.substr(0, first_row) << sessions.substr(sessions.find('\n', first_row) + 1);
  REQUIRE(ReadRunSessions(cells[0].dir).size() == 1);
  CHECK(CollectResults(config, cells).cells[0].threads == "2+1");
  CHECK(RunBenchCells(config, cells, PlanBench(1, 1, 0), {})[0] == CellOutcome::kReused);
  fs::remove_all(dir);
}

TEST_CASE("a cell that fails stops the others and leaves them resumable") {
  const std::string dir = TempDir("failing_cell");
  BenchConfig config = ParseBenchConfig(kTinyBench, "tiny.yaml", MNEMO_SOURCE_DIR);
  config.tasks.resize(1);    // Swimmer, seeds 1 and 2
  config.methods.resize(1);  // ARS
  // A budget no test can wait for: the bench must stop the healthy cell.
  config.tasks[0].max_episodes = 10000000;
  const std::vector<BenchCell> cells = ListCells(config, dir);
  REQUIRE(cells.size() == 2);
  // Seed 1's folder cannot hold a run: a file is where its checkpoints go.
  fs::create_directories(cells[0].dir);
  std::ofstream(cells[0].dir + "/checkpoints") << "in the way";
  CHECK_THROWS_WITH_AS(RunBenchCells(config, cells, PlanBench(2, 2, 2), {}),
                       doctest::Contains("checkpoints"), Error);
  // Seed 2 stopped long before its budget, at a whole iteration (or before
  // it started), and resumes.
  const TrainConfig healthy = CellTrainConfig(config, cells[1], 1);
  CHECK_FALSE(IsFinishedRun(RunFolder(cells[1].dir), healthy));
  if (fs::exists(cells[1].dir + "/state.bin")) {
    const RunLog log = ReadRunLog(cells[1].dir);
    CHECK(log.episodes < 100000);
    CHECK(nlohmann::json::parse(Slurp(cells[1].dir + "/summary.json"))["episodes"] == log.episodes);
    CHECK(Trainer::Resume(cells[1].dir)->RunDir() == cells[1].dir);
  }
  fs::remove_all(dir);
}

TEST_CASE("a tiny bench runs end to end, then reuses its finished runs") {
  const std::string dir = TempDir("tiny");
  std::ofstream(dir + "/tiny.yaml") << kTinyBench;
  const std::string out = dir + "/out";
  const std::string args = dir + "/tiny.yaml --out " + out;

  const int status = RunMnemoBench(args, dir + "/log1.txt");
  INFO(Slurp(dir + "/log1.txt"));
  REQUIRE(status == 0);
  const std::string md = Slurp(out + "/results.md");
  CHECK(md.find("## Swimmer") != std::string::npos);
  CHECK(md.find("| ARS V2-t | ") != std::string::npos);
  CHECK(md.find("| OpenAI-ES | ") != std::string::npos);
  CHECK(md.find("| Mnemosyne-ES |") == std::string::npos);  // disabled: no row
  CHECK(md.find("not run (disabled in the bench file): Mnemosyne-ES") != std::string::npos);
  CHECK(md.find("threshold 5 (set by the bench file)") != std::string::npos);
  CHECK(md.find("threshold 3430 (ARS paper)") != std::string::npos);
  CHECK(md.find("0 reused from earlier sessions, the others run") != std::string::npos);
  const std::string csv = Slurp(out + "/results.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);  // header + 2 tasks x 2 methods
  CHECK(csv.find("Swimmer,ars,ARS V2-t,2,160,5,") != std::string::npos);
  const std::string cells_csv = Slurp(out + "/cells.csv");
  CHECK(std::count(cells_csv.begin(), cells_csv.end(), '\n') == 9);  // header + 8 runs
  CHECK(IsPng(out + "/curves_Swimmer.png", 5000));
  CHECK(IsPng(out + "/curves_HalfCheetah.png", 5000));
  CHECK(fs::exists(out + "/curves.gp"));
  CHECK(fs::exists(out + "/Swimmer/openai_es/s2/summary.json"));

  // Again: every run is reused, nothing is retrained.
  const auto before = SummaryTimes(out);
  CHECK(before.size() == 8);
  const int again = RunMnemoBench(args, dir + "/log2.txt");
  INFO(Slurp(dir + "/log2.txt"));
  CHECK(again == 0);
  CHECK(SummaryTimes(out) == before);
  CHECK(Slurp(dir + "/log2.txt").find("8 reused") != std::string::npos);
  CHECK(Slurp(out + "/results.csv") == csv);
  CHECK(Slurp(out + "/results.md").find("every run was finished by an earlier session") !=
        std::string::npos);

  // Without gnuplot the tables are still written, with a clear message.
  setenv("MNEMO_GNUPLOT", "/nonexistent/gnuplot", 1);
  const int fallback = RunMnemoBench(args, dir + "/log3.txt");
  unsetenv("MNEMO_GNUPLOT");
  CHECK(fallback == 0);
  CHECK(Slurp(dir + "/log3.txt").find("learning curves not drawn: cannot run") !=
        std::string::npos);
  CHECK(fs::exists(out + "/results.md"));
  CHECK(!fs::exists(out + "/curves_Swimmer.png"));

  // A changed bench file does not silently reuse runs of another config.
  std::string changed = kTinyBench;
  changed.replace(changed.find("max_episodes: 160"), 17, "max_episodes: 320");
  std::ofstream(dir + "/changed.yaml") << changed;
  CHECK(RunMnemoBench(dir + "/changed.yaml --out " + out, dir + "/log4.txt") == 2);
  CHECK(Slurp(dir + "/log4.txt").find("holds a run of another config") != std::string::npos);
  CHECK(Slurp(out + "/bench.yaml") == kTinyBench);  // still the file the runs match
  fs::remove_all(dir);
}
