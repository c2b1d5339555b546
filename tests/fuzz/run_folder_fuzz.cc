// Fuzz target: a run folder as mnemo-view reads it (config, learning curve,
// checkpoints, optimizer snapshots, the sessions log). A prepared Mnemosyne
// v2 run lends the folder; the variant picks the file the input replaces.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "apps/view/run_browser.h"
#include "apps/view/snapshot_history.h"
#include "core/util/error.h"
#include "policies/policy_file.h"
#include "tests/fuzz/fuzz_target.h"

namespace mnemo::fuzz {
namespace {

// The files an input may replace, in variant order.
const char* const kFiles[] = {"metrics.csv", "snapshots/optimizer_000002.json", "sessions.csv",
                              "config.yaml", "checkpoints/policy_000002.json"};
constexpr int kVariants = static_cast<int>(std::size(kFiles));

// The prepared run's folder and its files' pristine bytes.
struct PreparedRun {
  std::string dir;
  std::map<std::string, std::string> files;
};

// The run, trained once per process: 3 iterations of Swimmer with a
// checkpoint and an optimizer snapshot at each.
const PreparedRun& Run() {
  static const PreparedRun run = [] {
    PreparedRun made;
    made.dir = ScratchDir() + "/run";
    const std::string config =
        "task: {name: Swimmer, max_episode_steps: 20}\n"
        "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
        "optimizer: {type: mnemosyne, weights: " MNEMO_SOURCE_DIR
        "/configs/weights/mnemosyne.weights}\n"
        "train: {seed: 2, threads: 1, max_iterations: 3, eval_every: 1, eval_episodes: 1,"
        " checkpoint_every: 1, snapshot_every: 1}\n";
    Trainer(ParseTrainConfig(config, "fuzz_run.yaml"), made.dir).Run();
    for (const char* name : kFiles) made.files[name] = ReadBytes(made.dir + "/" + name);
    return made;
  }();
  return run;
}

}  // namespace

void WriteSeeds(const std::string& dir) {
  for (int v = 0; v < kVariants; ++v) {
    const std::string name = std::filesystem::path(kFiles[v]).filename().string();
    WriteBytes(dir + "/" + name, ModeByte(v, true) + Run().files.at(kFiles[v]));
  }
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mnemo::fuzz::Run();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const fuzz::PreparedRun& run = fuzz::Run();
  for (const auto& [name, bytes] : run.files) fuzz::WriteBytes(run.dir + "/" + name, bytes);
  fuzz::WriteBytes(run.dir + "/" + fuzz::kFiles[input.variant], input.rest);
  // What the viewer reads, each part on its own: one damaged file must not
  // keep the others from being read.
  try {
    RunBrowser browser(run.dir);
    browser.Problems();
    for (int it : browser.Checkpoints()) browser.EpisodesAt(it);
    for (int it : browser.Checkpoints()) LoadPolicy(browser.CheckpointPath(it));
  } catch (const Error&) {
  }
  SnapshotHistory snapshots(run.dir + "/snapshots");
  snapshots.Refresh();
  for (const std::string& name : snapshots.TensorNames()) {
    snapshots.TensorStepSeries(name);
    snapshots.PanelNormSeries(name);
  }
  try {
    ReadRunSessions(run.dir);
  } catch (const Error&) {
  }
  return 0;
}
