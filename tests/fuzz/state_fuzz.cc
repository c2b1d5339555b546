// Fuzz target: a training run resumed as `mnemo train --resume` does, then
// trained one more iteration. The variant picks one of several prepared
// runs (one per kind of search state) and what the input is: for the first
// kRunCount variants, the run's state.bin, sealed by the target (a fresh
// checksum, so that mutants reach the parser) or as is; for the next
// kRunCount, a plan of the run folder's entries to swap for links, FIFOs
// and folders (folder_damage.h), after which nothing outside the folder may
// have changed (a resume that writes through a link is a finding). Its
// structure-aware mutation writes hostile numbers into the state's payload
// (hostile_numbers.h) or changes a plan.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "apps/lib/training/trainer.h"
#include "core/io/sealed_file.h"
#include "core/util/error.h"
#include "tests/fuzz/folder_damage.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/hostile_numbers.h"
#include "tests/fuzz/pristine_folder.h"

namespace mnemo::fuzz {
namespace {

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
constexpr int kRunCount = static_cast<int>(std::size(kRuns));
// The runs' state.bin, then the same runs' folders damaged by a plan.
constexpr int kVariants = 2 * kRunCount;

// The entries of a run folder that a plan may swap: what a resume reads,
// writes or appends to.
const char* const kEntries[] = {
    "state.bin",        "config.yaml",  "metrics.csv",      "metrics.jsonl", "sessions.csv",
    "ranks.csv",        ".lock",        "checkpoints",      "snapshots",     "policy_latest.json",
    "policy_best.json", "summary.json", "optimizer.weights"};

// `text` with the characters from `from` to `to` (or its end) made "0".
std::string ZeroSpan(const std::string& text, std::size_t from, std::size_t to) {
  return text.substr(0, from) + '0' + text.substr(std::min(to, text.size()));
}

// `csv` with every row's `column` made 0.
std::string ZeroCsvColumn(const std::string& csv, const std::string& column) {
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  std::string out = line;
  out += '\n';
  std::size_t index = 0;
  for (std::size_t at = 0; line.compare(at, column.size() + 1, column + ",") != 0; ++index) {
    at = line.find(',', at) + 1;
    if (at == 0) std::abort();  // no such column
  }
  while (std::getline(lines, line)) {
    std::size_t start = 0;
    for (std::size_t k = 0; k < index; ++k) start = line.find(',', start) + 1;
    out.append(ZeroSpan(line, start, line.find(',', start))).append(1, '\n');
  }
  return out;
}

// `jsonl` with every line's number `"key":N` made 0.
std::string ZeroJsonNumber(std::string jsonl, const std::string& key) {
  const std::string field = std::string("\"").append(key).append("\":");
  for (std::size_t at = 0; (at = jsonl.find(field, at)) != std::string::npos;) {
    at += field.size();
    jsonl = ZeroSpan(jsonl, at, jsonl.find_first_of(",}", at));
  }
  return jsonl;
}

// Makes a prepared run the same in every process, so that the state.bin
// seeds written by one resume in another: the wall times (the only numbers
// that differ) become 0 in its metrics logs and state.bin, and state.bin's
// counts of the logs' bytes follow. Aborts if state.bin's layout
// (Trainer::SaveState) is no longer the one assumed here.
void ZeroWallTimes(const std::string& dir) {
  const std::string old_csv = ReadBytes(dir + "/metrics.csv");
  const std::string old_jsonl = ReadBytes(dir + "/metrics.jsonl");
  const std::string csv = ZeroCsvColumn(old_csv, "wall_seconds");
  const std::string jsonl = ZeroJsonNumber(old_jsonl, "wall_seconds");
  std::string payload = ReadSealedFile(dir + "/state.bin");
  // The 8-byte fields after the magic string: version, episodes, env steps,
  // wall seconds, best and last evaluation, episodes to the threshold,
  // unstable episodes, then the byte counts of metrics.csv and .jsonl.
  std::uint64_t magic = 0;
  std::memcpy(&magic, payload.data(), 8);
  const std::size_t wall_at = 8 + magic + 3 * 8;
  const std::size_t csv_at = 8 + magic + 8 * 8;
  const std::uint64_t sizes[] = {old_csv.size(), old_jsonl.size()};
  if (payload.size() < csv_at + 16 || std::memcmp(payload.data() + csv_at, sizes, 16) != 0) {
    std::fprintf(stderr, "fuzz: state.bin's layout changed; update ZeroWallTimes\n");
    std::abort();
  }
  const double zero = 0;
  const std::uint64_t new_sizes[] = {csv.size(), jsonl.size()};
  std::memcpy(payload.data() + wall_at, &zero, 8);
  std::memcpy(payload.data() + csv_at, new_sizes, 16);
  WriteSealedFile(dir + "/state.bin", payload);
  WriteBytes(dir + "/metrics.csv", csv);
  WriteBytes(dir + "/metrics.jsonl", jsonl);
}

// The runs, trained two iterations once per process, as they were then
// (their wall times made 0).
const std::vector<PristineFolder>& Runs() {
  static const std::vector<PristineFolder> runs = [] {
    std::vector<PristineFolder> made;
    for (int v = 0; v < kRunCount; ++v) {
      const std::string dir = ScratchDir() + "/run" + std::to_string(v);
      const std::string config =
          std::string("task: {name: Swimmer, max_episode_steps: 20}\n") + kRuns[v] +
          "train: {seed: 3, threads: 1, max_iterations: 4, eval_every: 2, eval_episodes: 1,"
          " checkpoint_every: 2}\n";
      Trainer trainer(ParseTrainConfig(config, "fuzz_run.yaml"), dir);
      trainer.Run([&](const IterationReport& r) {
        if (r.iteration == 2) trainer.Stop();
      });
      ZeroWallTimes(dir);
      made.emplace_back(dir);
    }
    return made;
  }();
  return runs;
}

// The damage of run `run`'s folder.
FolderDamage DamageOf(int run) {
  return FolderDamage(Runs()[run].Dir(), {std::begin(kEntries), std::end(kEntries)},
                      ScratchDir() + "/outside");
}

}  // namespace

void WriteSeeds(const std::string& dir) {
  for (int v = 0; v < kRunCount; ++v) {
    const PristineFolder& run = Runs()[v];
    WriteBytes(dir + "/run" + std::to_string(v) + "_payload",
               ModeByte(v, false) + ReadSealedFile(run.Dir() + "/state.bin"));
    WriteBytes(dir + "/run" + std::to_string(v) + "_file",
               ModeByte(v, true) + run.Bytes("state.bin"));
  }
}

bool MutateStructure(std::string& input, std::uint64_t seed) {
  const FuzzInput split = SplitInput(input, kVariants);
  Rng rng{seed};
  // A state.bin turns into a plan for its run's folder now and then.
  if (split.variant >= kRunCount || rng.Below(4) == 0) {
    std::string plan = split.variant >= kRunCount ? split.rest : "";
    FolderDamage::MutatePlan(plan, rng);
    input = ModeByte(kRunCount + split.variant % kRunCount, true) + plan;
    return true;
  }
  std::string payload = split.rest;
  if (split.raw) {
    const std::string path = ScratchDir() + "/unseal.bin";
    WriteBytes(path, split.rest);
    try {
      payload = ReadSealedFile(path);
    } catch (const Error&) {
      return false;  // no payload behind this seal
    }
  }
  WriteHostileNumbers(payload, rng);
  input = ModeByte(split.variant, false) + payload;
  return true;
}

}  // namespace mnemo::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  mnemo::fuzz::Runs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mnemo;
  const fuzz::FuzzInput input = fuzz::SplitInput(data, size, fuzz::kVariants);
  const int run = input.variant % fuzz::kRunCount;
  const fuzz::PristineFolder& folder = fuzz::Runs()[run];
  folder.Restore();
  fuzz::FolderDamage damage = fuzz::DamageOf(run);
  if (input.variant >= fuzz::kRunCount) {
    damage.Apply(input.rest);
  } else if (input.raw) {
    fuzz::WriteBytes(folder.Dir() + "/state.bin", input.rest);
  } else {
    WriteSealedFile(folder.Dir() + "/state.bin", input.rest);
  }
  try {
    auto trainer = Trainer::Resume(folder.Dir(), 1);
    Trainer* t = trainer.get();
    trainer->Run([t](const IterationReport&) { t->Stop(); });
  } catch (const Error& e) {
    // A refusal with a message: the expected outcome for a damaged run.
    fuzz::NoteRefusal(e.what());
  }
  if (input.variant >= fuzz::kRunCount) damage.CheckOutsideUntouched();
  return 0;
}
