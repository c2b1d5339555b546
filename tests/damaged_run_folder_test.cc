// Tests of what a hostile user (or a bad disk) does to run folders and input
// files, through the mnemo binary as a user runs it: damaged lengths and
// counts in state.bin, metrics logs cut or replaced, two writers, NaN
// weights, multi-line library errors, and the exit codes of each (2 and one
// line for bad input and the environment, 1 only for bugs).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include "apps/lib/run_program.h"
#include "apps/lib/training/trainer.h"
#include "core/io/folder_lock.h"
#include "core/io/sealed_file.h"
#include "core/optim/learned_weights_file.h"
#include "core/util/error.h"
#include "policies/policy_file.h"
#include "tests/test_files.h"

using namespace mnemo;
using mnemo::testing::RunMnemo;
using mnemo::testing::Shell;
using mnemo::testing::Slurp;
using mnemo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Whether this build runs under AddressSanitizer, whose shadow memory needs
// more address space than the test's limit allows.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A tiny Swimmer ARS config: a few iterations in well under a second.
const char* kTinyRun = R"(
task: {name: Swimmer, max_episode_steps: 50}
search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}
optimizer: {type: nominal}
train: {seed: 5, threads: 1, max_iterations: 4, eval_every: 2, eval_episodes: 1}
)";

// Byte offsets in a training state's payload (apps/lib/training/trainer.cc
// writes them in this order): the magic string's length, and the metrics
// byte counts after the magic (8 + 17 bytes) and nine 8-byte counters.
constexpr std::size_t kMagicLengthAt = 0;
constexpr std::size_t kCsvBytesAt = 8 + 17 + 8 * 8;
constexpr std::size_t kJsonlBytesAt = kCsvBytesAt + 8;
// The normalizer's mean vector's length: after the two counts, the
// problem's batch count and observation count.
constexpr std::size_t kObsMeanLengthAt = kJsonlBytesAt + 8 + 8 + 8;

// Writes `value` little-endian at `offset` of `bytes`.
void PutU64(std::string& bytes, std::size_t offset, std::uint64_t value) {
  REQUIRE(offset + 8 <= bytes.size());
  std::memcpy(bytes.data() + offset, &value, 8);
}

// Runs mnemo with `args` and checks it refuses with exit 2 and one line
// holding `needle`.
void ExpectRefusal(const std::string& args, const std::string& dir, const std::string& needle) {
  INFO(args);
  const std::pair<int, std::string> result = RunMnemo(args, dir);
  const int code = result.first;
  const std::string err = result.second;
  INFO(err);
  CHECK(code == 2);
  CHECK(err.find(needle) != std::string::npos);
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
}

// A finished tiny run in `dir`/run, stopped after 2 of its 4 iterations so
// that it can be resumed; returns the run folder.
std::string TinyRun(const std::string& dir) {
  std::ofstream(dir + "/tiny.yaml") << kTinyRun;
  REQUIRE(RunMnemo("train " + dir + "/tiny.yaml --set train.max_iterations=2 --out " + dir + "/run",
                   dir)
              .first == 0);
  // Resumable to 4 iterations: the budget lives in config.yaml.
  std::string config = Slurp(dir + "/run/config.yaml");
  const std::size_t at = config.find("max_iterations: 2");
  REQUIRE(at != std::string::npos);
  config.replace(at, 17, "max_iterations: 4");
  std::ofstream(dir + "/run/config.yaml", std::ios::trunc) << config;
  return dir + "/run";
}

}  // namespace

TEST_CASE("a state.bin claiming huge lengths is refused at once, before allocating") {
  const std::string dir = TempDir("damaged_lengths");
  const std::string run = TinyRun(dir);
  const std::string payload = ReadSealedFile(run + "/state.bin");
  // Mutants re-sealed with a valid checksum, so that the parser reads them.
  // Under a 2 GiB address-space limit: allocating what they claim (up to
  // 64 GiB) would fail with "out of memory" instead of naming the damage.
  // (Not under AddressSanitizer, which reserves far more address space for
  // itself and reports an oversized allocation as an error of its own.)
  const std::string limit = kAddressSanitizer ? "" : "ulimit -v 2000000; ";
  const std::string limited = "bash -c '" + limit + "exec " + std::string(MNEMO_BINARY_DIR) +
                              "/mnemo train --resume " + run + "' > " + dir + "/out.txt 2> " + dir +
                              "/err.txt";
  for (const auto& [offset, needle] :
       {std::pair<std::size_t, const char*>{kMagicLengthAt, "corrupt string length"},
        {kObsMeanLengthAt, "corrupt vector length"}}) {
    std::string damaged = payload;
    PutU64(damaged, offset, std::uint64_t{1} << 35);
    WriteSealedFile(run + "/state.bin", damaged);
    CHECK(testing::Shell(limited) == 2);
    const std::string err = Slurp(dir + "/err.txt");
    INFO(err);
    CHECK(err.find(std::string("state.bin: ") + needle) != std::string::npos);
  }
  WriteSealedFile(run + "/state.bin", payload);
  CHECK(RunMnemo("train --resume " + run, dir).first == 0);
  fs::remove_all(dir);
}

TEST_CASE("a resume checks the metrics logs against state.bin before touching them") {
  const std::string dir = TempDir("damaged_metrics");
  const std::string run = TinyRun(dir);
  const std::string payload = ReadSealedFile(run + "/state.bin");
  const std::string csv = Slurp(run + "/metrics.csv");
  const std::string jsonl = Slurp(run + "/metrics.jsonl");

  // metrics.csv cut short by hand: refused, and the file left as it is (not
  // padded with NUL bytes).
  std::ofstream(run + "/metrics.csv", std::ios::trunc) << csv.substr(0, csv.size() - 5);
  ExpectRefusal("train --resume " + run, dir,
                "metrics.csv: holds " + std::to_string(csv.size() - 5) + " bytes, fewer than the " +
                    std::to_string(csv.size()));
  CHECK(Slurp(run + "/metrics.csv") == csv.substr(0, csv.size() - 5));
  std::ofstream(run + "/metrics.csv", std::ios::trunc) << csv;

  // A state claiming more bytes than the file has (up to 2^62).
  for (const std::uint64_t claimed : {std::uint64_t(csv.size() + 1), std::uint64_t{1} << 62}) {
    std::string damaged = payload;
    PutU64(damaged, kCsvBytesAt, claimed);
    WriteSealedFile(run + "/state.bin", damaged);
    ExpectRefusal("train --resume " + run, dir, "metrics.csv: holds " + std::to_string(csv.size()));
    CHECK(Slurp(run + "/metrics.csv") == csv);
  }
  // A count of 0, or one that ends inside a row, would empty the file or
  // cut a row: refused, and neither file is changed.
  for (const std::uint64_t claimed : {std::uint64_t{0}, std::uint64_t(csv.size() - 3)}) {
    std::string damaged = payload;
    PutU64(damaged, kCsvBytesAt, claimed);
    WriteSealedFile(run + "/state.bin", damaged);
    ExpectRefusal("train --resume " + run, dir, "metrics.csv: holds ");
    CHECK(Slurp(run + "/metrics.csv") == csv);
    CHECK(Slurp(run + "/metrics.jsonl") == jsonl);
  }
  // metrics.jsonl replaced by another run's (one row less).
  WriteSealedFile(run + "/state.bin", payload);
  const std::size_t last_row = jsonl.rfind('\n', jsonl.size() - 2);
  std::ofstream(run + "/metrics.jsonl", std::ios::trunc) << jsonl.substr(0, last_row + 1);
  ExpectRefusal("train --resume " + run, dir, "metrics.jsonl: holds ");
  std::ofstream(run + "/metrics.jsonl", std::ios::trunc) << jsonl;
  std::ofstream(run + "/metrics.jsonl", std::ios::app)
      << "{\"iteration\": 3}\n";  // a killed run's row
  // Intact again (rows after the checkpoint are dropped): the resume runs to
  // the end, one row per iteration.
  REQUIRE(RunMnemo("train --resume " + run, dir).first == 0);
  const std::string resumed = Slurp(run + "/metrics.csv");
  CHECK(std::count(resumed.begin(), resumed.end(), '\n') == 5);  // header + 4 rows
  CHECK(resumed.starts_with(csv));
  fs::remove_all(dir);
}

TEST_CASE("a run folder has one writer: a second one is refused with the holder's pid") {
  const std::string dir = TempDir("two_writers");
  const std::string run = TinyRun(dir);
  const std::string before = Slurp(run + "/metrics.csv");
  {
    // As a running `mnemo train` holds it (flock, like another process).
    const std::optional<FolderLock> holder = FolderLock::TryTake(run);
    REQUIRE(holder);
    const std::string needle =
        "in use by another mnemo process (pid " + std::to_string(getpid()) + ")";
    ExpectRefusal("train --resume " + run, dir, needle);
    CHECK(Slurp(run + "/metrics.csv") == before);
    // A new run into a held folder (e.g. a bench cell being trained).
    const std::optional<FolderLock> other = FolderLock::TryTake(dir + "/fresh");
    REQUIRE(other);
    ExpectRefusal("train " + dir + "/tiny.yaml --out " + dir + "/fresh", dir, needle);
    CHECK(!fs::exists(dir + "/fresh/state.bin"));
    // Meta-training runs too.
    const std::optional<FolderLock> meta = FolderLock::TryTake(dir + "/meta");
    REQUIRE(meta);
    ExpectRefusal("meta-train " + std::string(MNEMO_SOURCE_DIR) + "/configs/meta/tiny.yaml --out " +
                      dir + "/meta",
                  dir, needle);
  }
  // A lock file left by a killed process (it names a pid, but nobody holds
  // the lock) blocks nothing.
  std::ofstream(run + "/.lock", std::ios::trunc) << "999999\n";
  REQUIRE(RunMnemo("train --resume " + run, dir).first == 0);
  const std::string after = Slurp(run + "/metrics.csv");
  CHECK(std::count(after.begin(), after.end(), '\n') == 5);
  fs::remove_all(dir);
}

TEST_CASE("weights with a NaN are refused on load, though their checksum is valid") {
  const std::string dir = TempDir("nan_weights");
  const std::string shipped = std::string(MNEMO_SOURCE_DIR) + "/configs/weights/mnemosyne.weights";
  LearnedWeights weights = ReadLearnedWeights(shipped, "mnemosyne_v2");
  weights.numbers[weights.numbers.size() / 2] = std::numeric_limits<double>::quiet_NaN();
  WriteLearnedWeights(dir + "/nan.weights", weights);  // a valid checksum
  std::ofstream(dir + "/tiny.yaml") << kTinyRun;
  ExpectRefusal("train " + dir + "/tiny.yaml --out " + dir +
                    "/run --set \"optimizer={type: "
                    "mnemosyne, weights: " +
                    dir + "/nan.weights}\"",
                dir, "nan.weights: weights file holds a non-finite number");
  CHECK(!fs::exists(dir + "/run/state.bin"));
  weights.numbers.setConstant(std::numeric_limits<double>::infinity());
  WriteLearnedWeights(dir + "/inf.weights", weights);
  CHECK_THROWS_WITH_AS(ReadLearnedWeights(dir + "/inf.weights", "mnemosyne_v2"),
                       doctest::Contains("non-finite number (entry 0 of"), Error);
  fs::remove_all(dir);
}

TEST_CASE("errors are one line, whatever a library or a file puts in them") {
  const std::string dir = TempDir("one_line");
  // MuJoCo's XML errors span two lines.
  std::ofstream(dir + "/broken.xml") << "<mujoco>\n  <worldbody>\n    <body>\n</mujoco>\n";
  std::ofstream(dir + "/xml.yaml") << "task: {name: Swimmer, xml: " << dir
                                   << "/broken.xml}\nsearch: {type: ars}\n"
                                      "train: {max_iterations: 1}\n";
  ExpectRefusal("train " + dir + "/xml.yaml --out " + dir + "/run", dir,
                "MuJoCo could not load the model");
  // A key holding a line break is echoed on the same line.
  std::ofstream(dir + "/key.yaml") << "search: {type: ars}\n\"bo\\ngus\": 1\n";
  ExpectRefusal("train " + dir + "/key.yaml --out " + dir + "/run2", dir, "unknown key");
  CHECK(OneLine("XML parse error 15:\nError=XML_ERROR_PARSING  \n  Line number=31\n") ==
        "XML parse error 15: Error=XML_ERROR_PARSING Line number=31");
  CHECK(OneLine("a\x01z") == "a\\x01z");
  CHECK(std::string(Error({"f.yaml", 3, "bo\ngus"}, "unknown key").what()) ==
        "f.yaml:3: bo gus: unknown key");
  fs::remove_all(dir);
}

TEST_CASE("the exit codes: 2 for bad input and the environment, 1 only for bugs") {
  // Each failure as the programs' shared main (RunProgram) meets it.
  const auto exit_code = [](const std::function<int()>& body) {
    CLI::App app;
    char name[] = "mnemo";
    char* argv[] = {name};
    return RunProgram(app, 1, argv, "mnemo", body);
  };
  CHECK(exit_code([] { return 0; }) == 0);
  CHECK(exit_code([]() -> int { throw Error("bad config"); }) == 2);
  // A read-only folder or a full disk: the environment, not a bug.
  CHECK(exit_code([]() -> int {
          throw fs::filesystem_error("cannot create directory", "run",
                                     std::make_error_code(std::errc::read_only_file_system));
        }) == 2);
  CHECK(exit_code([]() -> int { throw std::bad_alloc(); }) == 2);
  CHECK(exit_code([]() -> int { throw std::logic_error("a bug"); }) == 1);

  // Through the binary: a run folder whose files cannot be written (a
  // folder where the last checkpoint goes).
  const std::string dir = TempDir("environment");
  const std::string run = TinyRun(dir);
  fs::create_directories(run + "/checkpoints/policy_000004.json/inside");
  const std::pair<int, std::string> result = RunMnemo("train --resume " + run, dir);
  const int code = result.first;
  const std::string err = result.second;
  INFO(err);
  CHECK(code == 2);
  CHECK(err.find("internal error") == std::string::npos);
  // Progress lines come first; the error is the last line, whole.
  const std::size_t last_line = err.rfind('\n', err.size() - 2) + 1;
  CHECK(err.substr(last_line).starts_with("mnemo: error: " + run + "/checkpoints/"));
  fs::remove_all(dir);
}

namespace {

// The files of run folder `run` and their bytes, but the lock file (which
// a refused command may rewrite).
std::map<std::string, std::string> FolderBytes(const std::string& run) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(run)) {
    const std::string name = fs::relative(entry.path(), run).string();
    if (name == ".lock") continue;
    files[name] = entry.is_symlink()        ? "link to " + fs::read_symlink(entry.path()).string()
                  : entry.is_regular_file() ? Slurp(entry.path().string())
                                            : "not a file";
  }
  return files;
}

// Runs `mnemo train --resume run` (at most 20 s: a FIFO must not make it
// wait) and checks that it refuses with exit 2, one line naming `needle`,
// and changes nothing in the folder.
void ExpectResumeRefused(const std::string& run, const std::string& dir,
                         const std::string& needle) {
  INFO(needle);
  const std::map<std::string, std::string> before = FolderBytes(run);
  const int code = Shell("timeout 20 " + std::string(MNEMO_BINARY_DIR) + "/mnemo train --resume " +
                         run + " > " + dir + "/out.txt 2> " + dir + "/err.txt");
  const std::string err = Slurp(dir + "/err.txt");
  INFO(err);
  CHECK(code == 2);
  CHECK(err.find(needle) != std::string::npos);
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK(FolderBytes(run) == before);
}

}  // namespace

TEST_CASE("a resume never writes through a link, nor waits on a FIFO (issue 30, 1)") {
  const std::string dir = TempDir("links");
  const std::string run = TinyRun(dir);
  const std::string victim = dir + "/victim.txt";
  std::ofstream(victim) << "the user's own file\n";
  // `ln -s victim.txt RUN/.lock; mnemo train --resume RUN` wrote the pid
  // into victim.txt.
  fs::remove(run + "/.lock");
  fs::create_symlink(victim, run + "/.lock");
  ExpectResumeRefused(run, dir, run + "/.lock: is a symbolic link");
  fs::remove(run + "/.lock");
  // metrics.csv, metrics.jsonl and sessions.csv as links to files outside:
  // the resume appended to them (and cut them to the state's counts).
  for (const char* name : {"metrics.csv", "metrics.jsonl", "sessions.csv"}) {
    const std::string outside = dir + "/outside_" + name;
    fs::rename(run + "/" + name, outside);
    fs::create_symlink(outside, run + "/" + name);
    const std::string bytes = Slurp(outside);
    ExpectResumeRefused(run, dir, run + "/" + name + ": is a symbolic link");
    CHECK(Slurp(outside) == bytes);
    fs::remove(run + "/" + name);
    fs::rename(outside, run + "/" + name);
  }
  CHECK(Slurp(victim) == "the user's own file\n");
  // checkpoints/ as a link to a folder outside.
  fs::rename(run + "/checkpoints", dir + "/outside_checkpoints");
  fs::create_symlink(dir + "/outside_checkpoints", run + "/checkpoints");
  ExpectResumeRefused(run, dir, run + "/checkpoints: is a symbolic link");
  fs::remove(run + "/checkpoints");
  fs::rename(dir + "/outside_checkpoints", run + "/checkpoints");
  // state.bin or config.yaml as a FIFO made the resume hang; /dev/zero gave
  // "out of memory" without the file's name.
  for (const char* name : {"state.bin", "config.yaml"}) {
    const std::string kept = dir + "/kept_" + name;
    fs::rename(run + "/" + name, kept);
    REQUIRE(Shell("mkfifo " + run + "/" + name) == 0);
    ExpectResumeRefused(run, dir, run + "/" + name + ": is a FIFO, not a regular file");
    fs::remove(run + "/" + name);
    fs::create_symlink("/dev/zero", run + "/" + name);
    ExpectResumeRefused(run, dir, run + "/" + name + ": is a symbolic link");
    fs::remove(run + "/" + name);
    fs::create_directory(run + "/" + name);
    ExpectResumeRefused(run, dir, run + "/" + name + ": is a folder");
    fs::remove(run + "/" + name);
    fs::rename(kept, run + "/" + name);
  }
  // ranks.csv (an MPI run appends to it) as a folder.
  fs::create_directory(run + "/ranks.csv");
  ExpectResumeRefused(run, dir, run + "/ranks.csv: is a folder, not a regular file");
  fs::remove(run + "/ranks.csv");
  // Whole again: the resume runs to the end.
  REQUIRE(RunMnemo("train --resume " + run, dir).first == 0);
  const std::string csv = Slurp(run + "/metrics.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  fs::remove_all(dir);
}

TEST_CASE("a run's config.yaml linked to itself: eval warns and uses the default options") {
  // Found by the run_folder fuzz target: std::filesystem threw "Too many
  // levels of symbolic links" out of the lookup of a policy's run config
  // (mnemo eval, mnemo-view), which stopped with that library message
  // instead of evaluating, and out of mnemo-view opening the folder.
  const std::string dir = TempDir("link_loop");
  const std::string run = TinyRun(dir);
  fs::remove(run + "/config.yaml");
  fs::create_symlink("config.yaml", run + "/config.yaml");
  // A named pair: Clang 14 cannot capture a structured binding in INFO.
  const std::pair<int, std::string> result =
      RunMnemo("eval " + run + "/policy_latest.json --episodes 1", dir);
  INFO(result.second);
  CHECK(result.first == 0);
  CHECK(result.second.find(run + "/config.yaml: cannot open file") != std::string::npos);
  fs::remove_all(dir);
}

namespace {

// A "billion laughs" of `levels` levels of ten aliases each, as YAML lines
// indented by `indent` under a list.
std::string AliasBomb(int levels, const std::string& indent) {
  std::string text = indent + "- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    const std::string alias = "*a" + std::to_string(i - 1);
    text += indent + "- &a" + std::to_string(i) + " [" + alias;
    for (int k = 1; k < 10; ++k) text += ", " + alias;
    text += "]\n";
  }
  return text;
}

}  // namespace

TEST_CASE("a YAML alias bomb is refused at once, naming the file and line (issue 30, 2)") {
  const std::string dir = TempDir("alias_bomb");
  const std::string head =
      "task: {name: Swimmer, max_episode_steps: 50}\nsearch: {type: ars}\n"
      "train: {max_iterations: 1}\n";
  // Under an unknown key, and under policy.hidden: each ran past 30 s.
  std::ofstream(dir + "/unknown.yaml") << head << "junk:\n" << AliasBomb(10, "  ");
  std::ofstream(dir + "/hidden.yaml") << head << "policy:\n  kind: mlp\n  hidden:\n"
                                      << AliasBomb(10, "    ");
  REQUIRE(Slurp(dir + "/unknown.yaml").size() < 1000);
  for (const char* name : {"unknown", "hidden"}) {
    const auto start = std::chrono::steady_clock::now();
    ExpectRefusal("train " + dir + "/" + name + ".yaml --out " + dir + "/run", dir,
                  dir + "/" + name + ".yaml:");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    CHECK(Slurp(dir + "/err.txt").find("alias bomb") != std::string::npos);
  }
  // The same in a --set value.
  ExpectRefusal("train " + dir + "/unknown.yaml --set \"policy.hidden=[" +
                    "&a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, "
                    "*a], &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, *c, *c, "
                    "*c, *c, *c, *c], &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d], &f [*e, *e, *e, "
                    "*e, *e, *e, *e, *e, *e, *e]]\"",
                dir, "alias bomb");
  CHECK(!fs::exists(dir + "/run"));
  // The one anchor of a bench file (the per-task config map) is fine.
  CHECK(RunMnemo("bench " + std::string(MNEMO_SOURCE_DIR) +
                     "/configs/bench/locomotion.yaml --tasks Nope",
                 dir)
            .second.find("no task 'Nope'") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a key given twice is refused with the lines of both (issue 30, 3)") {
  const std::string dir = TempDir("duplicate_keys");
  // `seed: 1` then `seed: 7` trained seed 1.
  std::ofstream(dir + "/seed.yaml") << "task: {name: Swimmer, max_episode_steps: 50}\n"
                                       "search: {type: ars}\n"
                                       "train:\n  seed: 1\n  max_iterations: 1\n  seed: 7\n";
  ExpectRefusal("train " + dir + "/seed.yaml --out " + dir + "/run", dir,
                dir + "/seed.yaml:6: train.seed: duplicate key (also at line 4)");
  // A second task: block was ignored.
  std::ofstream(dir + "/task.yaml") << "task: {name: Swimmer}\nsearch: {type: ars}\n"
                                       "train: {max_iterations: 1}\ntask:\n  name: Hopper\n";
  ExpectRefusal("train " + dir + "/task.yaml --out " + dir + "/run", dir,
                dir + "/task.yaml:4: task: duplicate key (also at line 1)");
  CHECK(!fs::exists(dir + "/run"));
  fs::remove_all(dir);
}

namespace {

// Tiny runs whose states differ: ARS's own step, Adam (moments), CMA-ES
// (covariance, paths, histories).
const char* const kStateRuns[] = {
    "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
    "optimizer: {type: nominal}\n",
    "search: {type: ars, directions: 2, top_directions: 1, sigma: 0.03}\n"
    "optimizer: {type: adam, lr: 0.01}\n",
    "search: {type: cma_es, population: 4}\n"};

// Trains `search` (a config's search and optimizer sections) in `run` for 2
// of its 4 iterations.
void StoppedRun(const std::string& search, const std::string& run) {
  const std::string config = std::string("task: {name: Swimmer, max_episode_steps: 20}\n") +
                             search +
                             "train: {seed: 3, threads: 1, max_iterations: 4, eval_every: 2, "
                             "eval_episodes: 1}\n";
  Trainer trainer(ParseTrainConfig(config, "nan_run.yaml"), run);
  trainer.Run([&](const IterationReport& r) {
    if (r.iteration == 2) trainer.Stop();
  });
}

// Whether resuming `run` to its end is refused with an Error; when it is
// not, checks that what the run wrote is finite where it must be.
bool ResumeRefused(const std::string& run) {
  try {
    Trainer::Resume(run, 1)->Run();
  } catch (const Error&) {
    return true;
  }
  // `mnemo eval` refused the policy of nulls such runs wrote.
  CHECK_NOTHROW(LoadPolicy(run + "/policy_latest.json"));
  CHECK(LoadPolicy(run + "/policy_latest.json").params.allFinite());
  return false;
}

}  // namespace

TEST_CASE(
    "a re-sealed state.bin holding NaN or a negative count never ends in exit 0 with nulls "
    "(issue 30, 4)") {
  const std::string dir = TempDir("nan_state");
  for (const char* search : kStateRuns) {
    INFO(std::string(search));
    const std::string pristine = dir + "/pristine";
    fs::remove_all(pristine);
    StoppedRun(search, pristine);
    const std::string payload = ReadSealedFile(pristine + "/state.bin");
    std::map<std::string, std::string> files;
    for (const char* name : {"metrics.csv", "metrics.jsonl", "sessions.csv"}) {
      files[name] = Slurp(pristine + "/" + name);
    }
    // NaN written over the payload after the magic string, re-sealed: at
    // every byte of its first 256 (the counters, the normalizer, theta, the
    // search's header and scalars: every number, and numbers cut in two),
    // then every 8 bytes (a CMA-ES covariance).
    int refused = 0;
    int mutants = 0;
    for (std::size_t at = 25; at + 8 <= payload.size(); at += at < 25 + 256 ? 1 : 8) {
      INFO("NaN at byte " << at);
      for (const auto& [name, bytes] : files) std::ofstream(pristine + "/" + name) << bytes;
      std::string damaged = payload;
      PutU64(damaged, at, 0x7ff8000000000000ULL);
      WriteSealedFile(pristine + "/state.bin", damaged);
      refused += ResumeRefused(pristine);
      ++mutants;
    }
    MESSAGE(mutants << " NaN mutants, " << refused
                    << " refused, none ended with non-finite numbers");
  }
  // A negative count, through the binary: one line naming the file.
  const std::string run = dir + "/run";
  fs::remove_all(run);
  StoppedRun(kStateRuns[0], run);
  std::string damaged = ReadSealedFile(run + "/state.bin");
  PutU64(damaged, 8 + 17 + 8, static_cast<std::uint64_t>(-16));  // episodes
  WriteSealedFile(run + "/state.bin", damaged);
  ExpectRefusal("train --resume " + run, dir, run + "/state.bin: corrupt counters");
  // A count of 2^63 - 1 episodes (the state fuzz target's finding): it
  // resumed, and the next iteration's episodes overflowed it into a
  // negative count in metrics.csv, summary.json and state.bin.
  PutU64(damaged, 8 + 17 + 8, std::numeric_limits<std::int64_t>::max());
  WriteSealedFile(run + "/state.bin", damaged);
  ExpectRefusal("train --resume " + run, dir, run + "/state.bin: corrupt counters");
  fs::remove_all(dir);
}

TEST_CASE("finite weights of 1e300 are refused, naming the file and the bound (issue 30, 4)") {
  const std::string dir = TempDir("huge_weights");
  std::ofstream(dir + "/tiny.yaml") << kTinyRun;
  const std::string shipped = std::string(MNEMO_SOURCE_DIR) + "/configs/weights/";
  // The LSTM's and the coordinate-wise rule's weights ("v1") trained to
  // the end with exit 0 and wrote a policy of nulls.
  for (const auto& [optimizer, kind] :
       {std::pair{"lstm", "lstm"}, std::pair{"mnemosyne_coordinatewise", "mnemosyne"},
        std::pair{"mnemosyne", "mnemosyne_v2"}}) {
    const std::string name = optimizer;  // Clang 14: no structured binding in INFO's lambda
    INFO(name);
    LearnedWeights weights = ReadLearnedWeights(shipped + optimizer + ".weights", kind);
    weights.numbers[7] = 1e300;
    const std::string path = dir + "/" + optimizer + "_huge.weights";
    WriteLearnedWeights(path, weights);  // a valid checksum
    ExpectRefusal("train " + dir + "/tiny.yaml --out " + dir +
                      "/run --set \"optimizer={type: " + optimizer + ", weights: " + path + "}\"",
                  dir, path + ": weight 7 of ");
    CHECK(Slurp(dir + "/err.txt").find("at most 1e6 in magnitude") != std::string::npos);
    CHECK(!fs::exists(dir + "/run/state.bin"));
  }
  // Meta-training from such weights, and a meta-evaluation of them.
  ExpectRefusal("meta-train " + std::string(MNEMO_SOURCE_DIR) + "/configs/meta/tiny.yaml --out " +
                    dir + "/meta --set init_from=" + dir + "/mnemosyne_coordinatewise_huge.weights",
                dir, "mnemosyne_coordinatewise_huge.weights: weight 7 of ");
  CHECK(!fs::exists(dir + "/meta/state.bin"));
  // The run folder's own copy, replaced before a resume.
  const std::string run = dir + "/lstm_run";
  REQUIRE(RunMnemo("train " + dir + "/tiny.yaml --set train.max_iterations=2 --out " + run +
                       " --set \"optimizer={type: lstm, weights: " + shipped + "lstm.weights}\"",
                   dir)
              .first == 0);
  fs::copy_file(dir + "/lstm_huge.weights", run + "/optimizer.weights",
                fs::copy_options::overwrite_existing);
  ExpectRefusal("train --resume " + run, dir, run + "/optimizer.weights: weight 7 of ");
  fs::remove_all(dir);
}

TEST_CASE("an update that makes theta non-finite stops the run at that iteration (issue 30, 4)") {
  const std::string dir = TempDir("blow_up");
  // OpenAI-ES with a tiny sigma and SGD with a huge step: theta grows until
  // the 20th update makes it infinite.
  std::ofstream(dir + "/blow.yaml") << R"(
task: {name: Swimmer, max_episode_steps: 50}
search: {type: openai_es, directions: 2, sigma: 1e-12}
optimizer: {type: sgd, lr: 1e6}
train: {seed: 5, threads: 1, max_iterations: 30, eval_every: 2, eval_episodes: 1}
)";
  const std::string run = dir + "/run";
  const std::pair<int, std::string> result =
      RunMnemo("train " + dir + "/blow.yaml --out " + run, dir);
  INFO(result.second);
  CHECK(result.first == 2);
  const std::string needle = "mnemo: error: " + run +
                             ": iteration 20 made the policy's parameters or observation "
                             "statistics non-finite";
  CHECK(result.second.find(needle) != std::string::npos);
  // The folder keeps iteration 19, whose numbers are finite; a resume stops
  // the same way.
  const std::string csv = Slurp(run + "/metrics.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 20);  // header + 19 rows
  CHECK(LoadPolicy(run + "/policy_latest.json").params.allFinite());
  const std::pair<int, std::string> resumed = RunMnemo("train --resume " + run, dir);
  CHECK(resumed.first == 2);
  CHECK(resumed.second.find(needle) != std::string::npos);
  CHECK(Slurp(run + "/metrics.csv") == csv);
  fs::remove_all(dir);
}
