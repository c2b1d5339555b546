// Fuzz target: a training run's state.bin, resumed as `mnemo train --resume`
// does, then trained one more iteration. The variant picks one of several
// prepared runs (one per kind of search state); the input replaces its
// state.bin, sealed by the target (a fresh checksum, so that mutants reach
// the parser) or as is.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "apps/lib/training/trainer.h"
#include "core/io/sealed_file.h"
#include "core/util/error.h"
#include "tests/fuzz/fuzz_target.h"

namespace mnemo::fuzz {
namespace {

namespace fs = std::filesystem;

// The prepared runs: Swimmer, short episodes, each search and updater
// whose state differs.
const char* const kRuns[] = {
    "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
    "optimizer: {type: nominal}\n",
    "search: {type: ars, directions: 2, top_directions: 1, sigma: 0.03}\n"
    "optimizer: {type: adam, lr: 0.01}\n",
    "search: {type: openai_es, directions: 2, sigma: 0.03}\n"
    "optimizer: {type: momentum, lr: 0.01}\n",
    "search: {type: cma_es, population: 4}\n",
    "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
    "optimizer: {type: mnemosyne, weights: " MNEMO_SOURCE_DIR
    "/configs/weights/mnemosyne.weights}\n",
    "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
    "optimizer: {type: mnemosyne_coordinatewise, weights: " MNEMO_SOURCE_DIR
    "/configs/weights/mnemosyne_coordinatewise.weights}\n",
    "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
    "optimizer: {type: lstm, weights: " MNEMO_SOURCE_DIR "/configs/weights/lstm.weights}\n",
};
constexpr int kVariants = static_cast<int>(std::size(kRuns));

// One prepared run: its folder and its files as they were after two
// iterations (restored before each input).
struct PreparedRun {
  std::string dir;
  std::map<std::string, std::string> files;  // name in the folder -> bytes
};

// The runs, trained once per process.
const std::vector<PreparedRun>& Runs() {
  static const std::vector<PreparedRun> runs = [] {
    std::vector<PreparedRun> made;
    for (int v = 0; v < kVariants; ++v) {
      PreparedRun run;
      run.dir = ScratchDir() + "/run" + std::to_string(v);
      const std::string config =
          std::string("task: {name: Swimmer, max_episode_steps: 20}\n") + kRuns[v] +
          "train: {seed: 3, threads: 1, max_iterations: 4, eval_every: 2, eval_episodes: 1,"
          " checkpoint_every: 2}\n";
      Trainer trainer(ParseTrainConfig(config, "fuzz_run.yaml"), run.dir);
      trainer.Run([&](const IterationReport& r) {
        if (r.iteration == 2) trainer.Stop();
      });
      for (const char* name : {"state.bin", "metrics.csv", "metrics.jsonl", "sessions.csv"}) {
        run.files[name] = ReadBytes(run.dir + "/" + name);
      }
      made.push_back(std::move(run));
    }
    return made;
  }();
  return runs;
}

}  // namespace

void WriteSeeds(const std::string& dir) {
  for (int v = 0; v < kVariants; ++v) {
    const PreparedRun& run = Runs()[v];
    WriteBytes(dir + "/run" + std::to_string(v) + "_payload",
               ModeByte(v, false) + ReadSealedFile(run.dir + "/state.bin"));
    WriteBytes(dir + "/run" + std::to_string(v) + "_file",
               ModeByte(v, true) + run.files.at("state.bin"));
  }
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mnemo::fuzz::Runs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const fuzz::PreparedRun& run = fuzz::Runs()[input.variant];
  for (const auto& [name, bytes] : run.files) fuzz::WriteBytes(run.dir + "/" + name, bytes);
  if (input.raw) {
    fuzz::WriteBytes(run.dir + "/state.bin", input.rest);
  } else {
    WriteSealedFile(run.dir + "/state.bin", input.rest);
  }
  try {
    auto trainer = Trainer::Resume(run.dir, 1);
    Trainer* t = trainer.get();
    trainer->Run([t](const IterationReport&) { t->Stop(); });
  } catch (const Error&) {
    // A refusal with a message: the expected outcome for a damaged state.
  }
  return 0;
}
