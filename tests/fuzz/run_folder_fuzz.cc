// Fuzz target: a run folder as mnemo-view reads it (config, learning curve,
// checkpoints, policies, optimizer snapshots, the sessions log). A prepared
// Mnemosyne v2 run lends the folder. Bit 0 of the first byte set, the
// input replaces one file (the variant picks which); clear, the input is a
// plan of the folder's entries to swap for links, FIFOs and folders
// (folder_damage.h), after which nothing outside the folder may have
// changed. Its structure-aware mutation changes the YAML structure of a
// config.yaml, and otherwise makes or changes a plan.
#include <filesystem>
#include <string>

#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "apps/view/run_browser.h"
#include "apps/view/snapshot_history.h"
#include "core/util/error.h"
#include "policies/policy_file.h"
#include "tests/fuzz/folder_damage.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/pristine_folder.h"
#include "tests/fuzz/yaml_mutator.h"

namespace mnemo::fuzz {
namespace {

// The files an input may replace, in variant order.
const char* const kFiles[] = {"metrics.csv", "snapshots/optimizer_000002.json", "sessions.csv",
                              "config.yaml", "checkpoints/policy_000002.json"};
constexpr int kVariants = static_cast<int>(std::size(kFiles));
// The variant whose file is YAML.
constexpr int kConfigVariant = 3;

// The entries a plan may swap: what the viewer reads.
const char* const kEntries[] = {"config.yaml",
                                "metrics.csv",
                                "sessions.csv",
                                "checkpoints",
                                "checkpoints/policy_000002.json",
                                "checkpoints/policy_000003.json",
                                "snapshots",
                                "snapshots/optimizer_000002.json",
                                "policy_best.json",
                                "policy_latest.json",
                                "optimizer.weights",
                                "state.bin"};

// The run, trained once per process: 3 iterations of Swimmer with a
// checkpoint and an optimizer snapshot at each.
const PristineFolder& Run() {
  static const PristineFolder run = [] {
    const std::string dir = ScratchDir() + "/run";
    const std::string config =
        "task: {name: Swimmer, max_episode_steps: 20}\n"
        "search: {type: ars, directions: 2, top_directions: 2, sigma: 0.03}\n"
        "optimizer: {type: mnemosyne, weights: " MNEMO_SOURCE_DIR
        "/configs/weights/mnemosyne.weights}\n"
        "train: {seed: 2, threads: 1, max_iterations: 3, eval_every: 1, eval_episodes: 1,"
        " checkpoint_every: 1, snapshot_every: 1}\n";
    Trainer(ParseTrainConfig(config, "fuzz_run.yaml"), dir).Run();
    return PristineFolder(dir);
  }();
  return run;
}

// The plans' damage of the run's folder.
FolderDamage DamageOfRun() {
  return FolderDamage(Run().Dir(), {std::begin(kEntries), std::end(kEntries)},
                      ScratchDir() + "/outside");
}

// Reads the folder as the viewer does, each part on its own: one damaged
// file must not keep the others from being read.
void ReadAsTheViewer(const std::string& dir) {
  try {
    RunBrowser browser(dir);
    for (const std::string& problem : browser.Problems()) NoteRefusal(problem.c_str());
    for (int it : browser.Checkpoints()) browser.EpisodesAt(it);
    for (int it : browser.Checkpoints()) {
      try {
        LoadPolicy(browser.CheckpointPath(it));
      } catch (const Error& e) {
        NoteRefusal(e.what());  // the viewer skips it, with a warning
      }
    }
    if (const std::string fallback = browser.FallbackPolicyPath(); !fallback.empty()) {
      LoadPolicy(fallback);
    }
  } catch (const Error& e) {
    NoteRefusal(e.what());
  }
  SnapshotHistory snapshots(dir + "/snapshots");
  snapshots.Refresh();
  for (const std::string& name : snapshots.TensorNames()) {
    snapshots.TensorStepSeries(name);
    snapshots.PanelNormSeries(name);
  }
  try {
    ReadRunSessions(dir);
  } catch (const Error& e) {
    NoteRefusal(e.what());
  }
}

}  // namespace

void WriteSeeds(const std::string& dir) {
  for (int v = 0; v < kVariants; ++v) {
    const std::string name = std::filesystem::path(kFiles[v]).filename().string();
    WriteBytes(dir + "/" + name, ModeByte(v, true) + Run().Bytes(kFiles[v]));
  }
}

bool MutateStructure(std::string& input, std::uint64_t seed) {
  const FuzzInput split = SplitInput(input, kVariants);
  Rng rng{seed};
  if (split.raw && split.variant == kConfigVariant && rng.Below(2) == 0) {
    std::string text = split.rest;
    MutateYaml(text, rng);
    input = ModeByte(split.variant, true) + text;
    return true;
  }
  std::string plan = split.raw ? "" : split.rest;
  FolderDamage::MutatePlan(plan, rng);
  input = ModeByte(split.variant, false) + plan;
  return true;
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mnemo::fuzz::Run();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const fuzz::PristineFolder& run = fuzz::Run();
  run.Restore();
  fuzz::FolderDamage damage = fuzz::DamageOfRun();
  if (input.raw) {
    fuzz::WriteBytes(run.Dir() + "/" + fuzz::kFiles[input.variant], input.rest);
  } else {
    damage.Apply(input.rest);
  }
  fuzz::ReadAsTheViewer(run.Dir());
  if (!input.raw) damage.CheckOutsideUntouched();
  return 0;
}
