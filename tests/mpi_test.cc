// MPI jobs through mpirun and the mnemo binary: a run shared over K ranks
// gives the numbers of the same run in one process, resumes on another K
// after a rank was killed, and a setup failure on any rank stops every rank
// before anything is written. Skipped when this build has no MPI or mpirun
// is missing, unless MNEMO_REQUIRE_MPI_TEST is set (CI sets it).
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/io/binary_io.h"
#include "core/io/sealed_file.h"
#include "core/optim/learned_weights_file.h"
#include "core/parallel/mpi_job.h"
#include "tests/run_folder_files.h"
#include "tests/test_files.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;
using testing::RunMnemo;
using testing::Shell;
using testing::Slurp;
using testing::TempDir;

// A short HalfCheetah ARS run: 6 iterations of 64 episodes of 100 steps.
const std::string kShortRun =
    "configs/train/half_cheetah_ars.yaml --set train.max_episodes=384 --set train.eval_every=2 "
    "--set train.eval_episodes=3 --set train.threads=1 --set task.max_episode_steps=100";

// Whether the MPI tests can run here; fails the test when they must.
bool MpiAvailable() {
  const bool have = MpiJob::Built() && Shell("command -v mpirun > /dev/null 2>&1") == 0;
  if (!have && std::getenv("MNEMO_REQUIRE_MPI_TEST") != nullptr) {
    FAIL(
        "MNEMO_REQUIRE_MPI_TEST is set, but this build has no MPI or mpirun is missing "
        "(scripts/setup.sh installs libopenmpi-dev and openmpi-bin)");
  }
  if (!have) MESSAGE("skipped: no MPI in this build or no mpirun");
  return have;
}

// `mpirun` with K ranks on this machine (as root too: CI runs as root; and
// without the shared-memory single copy, which containers often forbid).
std::string Mpirun(int ranks) {
  return "mpirun --oversubscribe --allow-run-as-root --bind-to none "
         "--mca btl_vader_single_copy_mechanism none -np " +
         std::to_string(ranks) + " ";
}

// How a command ended.
struct Outcome {
  int code = 0;     // exit code
  std::string err;  // what it wrote to stderr
};

// Runs `command` from the source tree (configs are found from there), its
// output in `dir`/out.txt and err.txt.
Outcome RunIn(const std::string& command, const std::string& dir) {
  const int code = Shell("cd " MNEMO_SOURCE_DIR " && " + command + " > " + dir + "/out.txt 2> " +
                         dir + "/err.txt");
  return {code, Slurp(dir + "/err.txt")};
}

// The mnemo binary of this build.
std::string Mnemo() { return std::string(MNEMO_BINARY_DIR) + "/mnemo "; }

// A training state.bin's payload without what depends on wall time: the
// wall seconds and the metrics files' byte counts (their rows hold it).
std::string StateWithoutWallTime(const std::string& path) {
  std::istringstream bytes(ReadSealedFile(path));
  BinaryReader in(bytes, path);
  std::ostringstream kept;
  BinaryWriter out(kept);
  out.WriteString(in.ReadString());  // magic
  out.WriteU64(in.ReadU64());        // version
  out.WriteI64(in.ReadI64());        // episodes
  out.WriteI64(in.ReadI64());        // env steps
  in.ReadDouble();                   // wall seconds
  out.WriteDouble(in.ReadDouble());  // best eval
  out.WriteDouble(in.ReadDouble());  // last eval
  out.WriteI64(in.ReadI64());        // episodes to threshold
  out.WriteI64(in.ReadI64());        // unstable episodes
  in.ReadU64();                      // metrics.csv bytes
  in.ReadU64();                      // metrics.jsonl bytes
  const std::string rest = bytes.str().substr(static_cast<std::size_t>(bytes.tellg()));
  return kept.str() + rest;
}

// Checks that run folder `run` holds the numbers of `expected`: metrics,
// summary, policies and checkpoints, and the training state.
void CheckSameNumbers(const std::string& run, const std::string& expected) {
  testing::CheckSameRunFiles(run, expected);
  CHECK(StateWithoutWallTime(run + "/state.bin") == StateWithoutWallTime(expected + "/state.bin"));
}

// Rows of a CSV file, header included.
int CsvRows(const std::string& path) {
  std::ifstream in(path);
  int rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  return rows;
}

TEST_CASE("a run shared over 1 to 4 MPI ranks gives the numbers of one process") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_same");
  REQUIRE(RunIn(Mnemo() + "train " + kShortRun + " --out " + dir + "/alone", dir).code == 0);
  for (int k = 1; k <= 4; ++k) {
    INFO("ranks: " << k);
    const std::string run = dir + "/k" + std::to_string(k);
    const Outcome run_outcome =
        RunIn(Mpirun(k) + Mnemo() + "train " + kShortRun + " --out " + run, dir);
    REQUIRE(run_outcome.code == 0);
    CheckSameNumbers(run, dir + "/alone");
    // Each rank's share and traffic (a job of one writes none).
    CHECK(fs::exists(run + "/ranks.csv") == (k > 1));
    if (k > 1) CHECK(CsvRows(run + "/ranks.csv") == k + 1);
  }
}

TEST_CASE("Mnemosyne v2 shared over 3 ranks gives the numbers of one process") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_v2");
  const std::string v2 = kShortRun +
                         " --set 'optimizer={type: mnemosyne, weights: "
                         "configs/weights/mnemosyne.weights}' --set train.snapshot_every=2";
  REQUIRE(RunIn(Mnemo() + "train " + v2 + " --out " + dir + "/alone", dir).code == 0);
  REQUIRE(RunIn(Mpirun(3) + Mnemo() + "train " + v2 + " --out " + dir + "/k3", dir).code == 0);
  CheckSameNumbers(dir + "/k3", dir + "/alone");
}

// The pid of rank `rank` of the job whose command line holds `marker`
// (0 when none is running).
long RankPid(int rank, const std::string& marker) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = Slurp(entry.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) == std::string::npos || cmdline.find("mpirun") == 0) continue;
    std::string environ = Slurp(entry.path().string() + "/environ");
    std::replace(environ.begin(), environ.end(), '\0', '\n');
    if (("\n" + environ).find("\nOMPI_COMM_WORLD_RANK=" + std::to_string(rank) + "\n") !=
        std::string::npos) {
      return std::stol(name);
    }
  }
  return 0;
}

TEST_CASE(
    "a rank killed mid-run ends the job; the run resumes on another K with the same numbers") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_kill");
  const std::string longer = kShortRun + " --set train.max_episodes=3840";
  REQUIRE(RunIn(Mnemo() + "train " + longer + " --out " + dir + "/alone", dir).code == 0);
  const std::string run = dir + "/killed";
  std::thread job([&] {
    Shell("cd " MNEMO_SOURCE_DIR " && " + Mpirun(3) + Mnemo() + "train " + longer + " --out " +
          run + " > " + dir + "/job.txt 2>&1; echo $? > " + dir + "/job_code.txt");
  });
  // Kill rank 1 once a few iterations are in the run folder.
  long pid = 0;
  for (int wait = 0; wait < 1200 && pid == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (CsvRows(run + "/metrics.csv") >= 4) pid = RankPid(1, run);
  }
  REQUIRE(pid > 0);
  kill(static_cast<pid_t>(pid), SIGKILL);
  job.join();
  const std::string job_output = Slurp(dir + "/job.txt");
  INFO(job_output);
  CHECK(std::atoi(Slurp(dir + "/job_code.txt").c_str()) != 0);
  CHECK(job_output.find("rank 1") != std::string::npos);
  // The folder keeps whole iterations only; it resumes on 2 ranks.
  const int rows = CsvRows(run + "/metrics.csv");
  CHECK(rows >= 4);
  CHECK(rows < CsvRows(dir + "/alone/metrics.csv"));
  const Outcome run_outcome = RunIn(Mpirun(2) + Mnemo() + "train --resume " + run, dir);
  INFO(run_outcome.err);
  REQUIRE(run_outcome.code == 0);
  CheckSameNumbers(run, dir + "/alone");
}

// Whether `dir` holds an atomic write's temporary file (a write under way).
bool WritingInto(const std::string& dir) {
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().filename().string().find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

TEST_CASE(
    "the writing rank killed -9 during a checkpoint write under 2 ranks: the run resumes "
    "with the same numbers") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_kill_write");
  const std::string longer =
      kShortRun + " --set train.max_episodes=3840 --set train.checkpoint_every=1";
  REQUIRE(RunIn(Mnemo() + "train " + longer + " --out " + dir + "/alone", dir).code == 0);
  const std::string run = dir + "/killed";
  std::thread job([&] {
    Shell("cd " MNEMO_SOURCE_DIR " && " + Mpirun(2) + Mnemo() + "train " + longer + " --out " +
          run + " > " + dir + "/job.txt 2>&1");
  });
  // Rank 0 writes every file; kill it while one of its atomic writes is
  // under way (or, failing to see one, once a few iterations are in).
  long pid = 0;
  bool mid_write = false;
  for (int wait = 0; wait < 60000 && pid == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    const int rows = CsvRows(run + "/metrics.csv");
    mid_write = rows >= 3 && (WritingInto(run) || WritingInto(run + "/checkpoints"));
    if (mid_write || rows >= 30) pid = RankPid(0, run);
  }
  REQUIRE(pid > 0);
  kill(static_cast<pid_t>(pid), SIGKILL);
  job.join();
  MESSAGE(std::string(mid_write ? "killed during an atomic write" : "killed between writes"));
  const int rows = CsvRows(run + "/metrics.csv");
  CHECK(rows < CsvRows(dir + "/alone/metrics.csv"));
  const Outcome resumed = RunIn(Mpirun(2) + Mnemo() + "train --resume " + run, dir);
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CheckSameNumbers(run, dir + "/alone");
}

// Meta-training configs: Mnemosyne v2 by whole-run ES on LQR, and v1 by PES
// over truncations (particles keep their inner runs across meta-iterations).
const char* const kMetaConfigs[][2] = {
    {"v2",
     "optimizer: {type: mnemosyne, threads: 1}\n"
     "meta: {seed: 5, threads: 1, iterations: 12, pairs: 4, sigma: 0.1, objective: whole_run,\n"
     "       unroll: [20, 40], differences: sign, decay: 0.001, outer: {type: adam, lr: 0.03},\n"
     "       checkpoint_every: 2}\n"
     "families:\n"
     "  lqr: {states: [2, 5], actions: [1, 2], horizon: 20,\n"
     "        estimator: {type: ars, directions: 4, top_directions: 4, sigma: 0.05,\n"
     "                    step_size: 0.005}}\n"
     "evaluation: {every: 4, tasks: 5, length: 40}\n"},
    {"pes",
     "optimizer: {type: mnemosyne_coordinatewise, threads: 1}\n"
     "meta: {seed: 1, threads: 1, iterations: 12, pairs: 4, sigma: 0.01, truncation: 5,\n"
     "       unroll: [10, 20], outer: {type: adam, lr: 0.01}, checkpoint_every: 2}\n"
     "families:\n"
     "  quadratic: {dims: [4, 8], condition: [1, 10], noise: 0.01}\n"
     "evaluation: {every: 4, tasks: 5, length: 20,\n"
     "             held_out: {quadratic: {dims: 16, condition: 30, noise: 0.01}},\n"
     "             held_out_length: 50}\n"}};

// A meta-training run's curve without its wall-time column (the last).
std::string CurveWithoutWallTime(const std::string& run) {
  std::istringstream lines(Slurp(run + "/metrics.csv"));
  std::string curve;
  for (std::string line; std::getline(lines, line);)
    curve += line.substr(0, line.rfind(',')) + "\n";
  return curve;
}

// A meta-training state.bin's payload without the metrics byte counts and
// the elapsed time (its last 6 numbers but the best and first held-in
// losses and the best iteration).
std::string MetaStateWithoutWallTime(const std::string& path) {
  const std::string payload = ReadSealedFile(path);
  REQUIRE(payload.size() > 48);
  return payload.substr(0, payload.size() - 48) + payload.substr(payload.size() - 32, 24);
}

// Checks that meta-training run `run` holds the numbers of `expected`.
void CheckSameMetaRun(const std::string& run, const std::string& expected) {
  CHECK(CurveWithoutWallTime(run) == CurveWithoutWallTime(expected));
  CHECK(Slurp(run + "/latest.weights") == Slurp(expected + "/latest.weights"));
  CHECK(Slurp(run + "/best.weights") == Slurp(expected + "/best.weights"));
  CHECK(MetaStateWithoutWallTime(run + "/state.bin") ==
        MetaStateWithoutWallTime(expected + "/state.bin"));
}

TEST_CASE("meta-training shared over 1 to 4 MPI ranks gives the meta-parameters of one process") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_meta");
  for (const auto& entry : kMetaConfigs) {
    const std::string name = entry[0];
    const std::string text = entry[1];
    INFO(name);
    const std::string config = dir + "/" + name + ".yaml";
    std::ofstream(config) << text;
    const std::string alone = dir + "/" + name + "_alone";
    REQUIRE(RunIn(Mnemo() + "meta-train " + config + " --out " + alone, dir).code == 0);
    for (int k = 1; k <= 4; ++k) {
      INFO("ranks: " << k);
      const std::string run = dir + "/" + name + "_k" + std::to_string(k);
      const Outcome run_outcome =
          RunIn(Mpirun(k) + Mnemo() + "meta-train " + config + " --out " + run, dir);
      INFO(run_outcome.err);
      REQUIRE(run_outcome.code == 0);
      CheckSameMetaRun(run, alone);
    }
    // Started on 2 ranks, stopped after 8 meta-iterations (the run's config
    // then asks for 12) and resumed on 3.
    std::string shorter = text;
    shorter.replace(shorter.find("iterations: 12"), 14, "iterations: 8");
    const std::string short_config = dir + "/" + name + "_short.yaml";
    std::ofstream(short_config) << shorter;
    const std::string resumed = dir + "/" + name + "_resumed";
    REQUIRE(
        RunIn(Mpirun(2) + Mnemo() + "meta-train " + short_config + " --out " + resumed, dir).code ==
        0);
    std::string folder_config = Slurp(resumed + "/config.yaml");
    REQUIRE(folder_config.find("iterations: 8") != std::string::npos);
    folder_config.replace(folder_config.find("iterations: 8"), 13, "iterations: 12");
    std::ofstream(resumed + "/config.yaml") << folder_config;
    const Outcome run_outcome = RunIn(Mpirun(3) + Mnemo() + "meta-train --resume " + resumed, dir);
    INFO(run_outcome.err);
    REQUIRE(run_outcome.code == 0);
    CheckSameMetaRun(resumed, alone);
  }
}

TEST_CASE("a bench spread over 3 MPI ranks runs every cell as one process would") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_bench");
  std::ofstream(dir + "/tiny.yaml") << R"(
seeds: [1, 2]
threads: 1
jobs: 1
set: [train.eval_every=2, train.eval_episodes=2, train.checkpoint_every=1000,
      train.snapshot_every=0, task.max_episode_steps=100]
tasks:
  Swimmer: {max_episodes: 96}
  HalfCheetah: {max_episodes: 96}
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
)";
  REQUIRE(RunIn(Mnemo() + "bench " + dir + "/tiny.yaml --out " + dir + "/alone", dir).code == 0);
  const Outcome run_outcome =
      RunIn(Mpirun(3) + Mnemo() + "bench " + dir + "/tiny.yaml --out " + dir + "/k3", dir);
  INFO(run_outcome.err);
  REQUIRE(run_outcome.code == 0);
  int cells = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir + "/alone")) {
    if (entry.path().filename() != "summary.json") continue;
    const fs::path cell = fs::relative(entry.path().parent_path(), dir + "/alone");
    INFO(cell.string());
    CheckSameNumbers(dir + "/k3/" + cell.string(), dir + "/alone/" + cell.string());
    ++cells;
  }
  CHECK(cells == 8);
  CHECK(Slurp(dir + "/k3/results.md").find("3 MPI ranks") != std::string::npos);
  CHECK(CsvRows(dir + "/k3/results.csv") == CsvRows(dir + "/alone/results.csv"));
  // By hand and by mpirun at once is refused.
  CHECK(RunIn(Mpirun(2) + Mnemo() + "bench " + dir + "/tiny.yaml --shard 1/2", dir).code == 2);
}

// The lines of `text` that start with "mnemo: error:".
int ErrorLines(const std::string& text) {
  int lines = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines += line.starts_with("mnemo: error:");
  return lines;
}

TEST_CASE("a setup failure on any rank stops every rank with one error and writes nothing") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_setup");
  SUBCASE("a config no rank can read") {
    const Outcome run_outcome =
        RunIn(Mpirun(2) + Mnemo() + "train " + dir + "/missing.yaml --out " + dir + "/run", dir);
    INFO(run_outcome.err);
    CHECK(run_outcome.code == 2);
    CHECK(ErrorLines(run_outcome.err) == 1);
    CHECK(run_outcome.err.find("missing.yaml") != std::string::npos);
  }
  SUBCASE("an MJCF file that rank 1 cannot read") {
    // mpirun's MPMD form gives rank 1 another command line.
    const std::string base = Mnemo() + "train " + kShortRun + " --out " + dir + "/run";
    const Outcome run_outcome = RunIn(
        Mpirun(1) + base + " : -np 1 " + base + " --set task.xml=" + dir + "/missing.xml", dir);
    INFO(run_outcome.err);
    CHECK(run_outcome.code == 2);
    CHECK(ErrorLines(run_outcome.err) == 1);
    CHECK(run_outcome.err.find("mnemo: error: rank 1: ") != std::string::npos);
    CHECK(run_outcome.err.find("missing.xml") != std::string::npos);
  }
  SUBCASE("weights that rank 2 cannot read") {
    const std::string base = Mnemo() + "train " + kShortRun + " --out " + dir +
                             "/run --set optimizer.type=mnemosyne --set optimizer.weights=";
    const Outcome run_outcome =
        RunIn(Mpirun(2) + base + "configs/weights/mnemosyne.weights : -np 1 " + base + dir +
                  "/missing.weights",
              dir);
    INFO(run_outcome.err);
    CHECK(run_outcome.code == 2);
    CHECK(ErrorLines(run_outcome.err) == 1);
    CHECK(run_outcome.err.find("mnemo: error: rank 2: ") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir + "/run"));
}

TEST_CASE(
    "ranks that disagree are refused, naming the rank and the key, before anything is "
    "written (issue 30, 6)") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_disagree");
  const std::string base = Mnemo() + "train " + kShortRun + " --out " + dir + "/run";
  // Runs rank 0 with `first` and rank 1 with `second` (mpirun's MPMD form),
  // at most 120 s (a mixed launch hung), and checks the one error line.
  const auto expect_refusal = [&](const std::string& first, const std::string& second,
                                  const std::string& needle) {
    const Outcome outcome = RunIn("timeout 120 " + Mpirun(1) + first + " : -np 1 " + second, dir);
    INFO(first << " : " << second);
    INFO(outcome.err);
    CHECK(outcome.code == 2);
    CHECK(ErrorLines(outcome.err) == 1);
    CHECK(outcome.err.find("mnemo: error: " + needle) != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/run"));
  };
  // Rank 1 given train.seed=7 ended with exit 0 and a policy of no run.
  expect_refusal(base, base + " --set train.seed=7",
                 "rank 1: its train.seed is '7', rank 0's is '1'");
  // Another task on rank 1 failed only after the folder was written.
  expect_refusal(base, base + " --set task.name=Hopper",
                 "rank 1: its task.name is 'Hopper', rank 0's is 'HalfCheetah'");
  // The same weights file name, another content.
  LearnedWeights weights =
      ReadLearnedWeights(MNEMO_SOURCE_DIR "/configs/weights/mnemosyne.weights", "mnemosyne_v2");
  fs::create_directories(dir + "/a");
  fs::create_directories(dir + "/b");
  WriteLearnedWeights(dir + "/a/c.weights", weights);
  weights.numbers[0] += 0.5;
  WriteLearnedWeights(dir + "/b/c.weights", weights);
  const std::string learned = base + " --set optimizer.type=mnemosyne --set optimizer.weights=";
  expect_refusal(learned + dir + "/a/c.weights", learned + dir + "/b/c.weights",
                 "rank 1: its optimizer.weights is 'fnv1a64:");
  // A mixed launch hung without a message.
  expect_refusal(base, Mnemo() + "eval " + dir + "/policy.json",
                 "rank 1 runs `mnemo eval`, rank 0 runs `mnemo train`");
  // A resume on one rank, a new run on the other.
  expect_refusal(base, Mnemo() + "train --resume " + dir + "/run",
                 "rank 1 runs `mnemo train --resume`, rank 0 runs `mnemo train`");
  // A command line that only rank 1 cannot parse.
  expect_refusal(base, base + " --bogus", "rank 1: The following argument was not expected");
  // Meta-training and benches alike.
  const std::string meta =
      Mnemo() + "meta-train " MNEMO_SOURCE_DIR "/configs/meta/tiny.yaml --out " + dir + "/run";
  expect_refusal(meta, meta + " --set meta.seed=2",
                 "rank 1: its meta.seed is '2', rank 0's is '1'");
  const std::string bench = Mnemo() + "bench " MNEMO_SOURCE_DIR "/configs/bench/quick.yaml --out " +
                            dir + "/run --tasks ";
  expect_refusal(bench + "Swimmer", bench + "HalfCheetah",
                 "rank 1: its --tasks is 'HalfCheetah,', rank 0's is 'Swimmer,'");
  // A resume whose state.bin differs on rank 1 (a stale copy of the folder).
  REQUIRE(
      RunIn(Mnemo() + "train " + kShortRun + " --set train.max_episodes=128 --out " + dir + "/done",
            dir)
          .code == 0);
  fs::copy(dir + "/done", dir + "/copy", fs::copy_options::recursive);
  std::ofstream(dir + "/copy/state.bin", std::ios::app) << "x";  // no longer its checksum's
  const Outcome stale = RunIn("timeout 120 " + Mpirun(1) + Mnemo() + "train --resume " + dir +
                                  "/done : -np 1 " + Mnemo() + "train --resume " + dir + "/copy",
                              dir);
  INFO(stale.err);
  CHECK(stale.code == 2);
  CHECK(ErrorLines(stale.err) == 1);
  CHECK(stale.err.find("rank 1: ") != std::string::npos);
  CHECK(stale.err.find("copy/state.bin") != std::string::npos);
  const std::string copy_state = ReadSealedFile(dir + "/done/state.bin");
  WriteSealedFile(dir + "/copy/state.bin", copy_state + "!");
  const Outcome differs = RunIn("timeout 120 " + Mpirun(1) + Mnemo() + "train --resume " + dir +
                                    "/done : -np 1 " + Mnemo() + "train --resume " + dir + "/copy",
                                dir);
  INFO(differs.err);
  CHECK(differs.code == 2);
  CHECK(differs.err.find("mnemo: error: rank 1: its state.bin is ") != std::string::npos);
}

TEST_CASE("commands that run as one process refuse an MPI job of several ranks") {
  if (!MpiAvailable()) return;
  const std::string dir = TempDir("mpi_alone");
  const Outcome run_outcome = RunIn(Mpirun(2) + Mnemo() + "list", dir);
  CHECK(run_outcome.code == 2);
  CHECK(ErrorLines(run_outcome.err) == 1);
  CHECK(run_outcome.err.find("runs as one process") != std::string::npos);
}

}  // namespace
}  // namespace mnemo
