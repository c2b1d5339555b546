// `mnemo meta-train CONFIG.yaml [--set KEY=VALUE]... [--out DIR] [--resume DIR]
// [--weights FILE]`:
// meta-trains a learned updater (Mnemosyne or the LSTM) and writes its
// weights.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

#include "apps/lib/meta/task_family_list.h"
#include "apps/lib/training/meta_run.h"
#include "apps/lib/training/progress_line.h"
#include "apps/lib/training/run_files.h"
#include "apps/lib/training/train_config.h"
#include "apps/mnemo/commands.h"
#include "core/io/file_system.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Options of the command.
struct MetaTrainArgs {
  std::string config;                  // the meta-training config
  std::string out;                     // run folder (default: runs/meta-<config>-<time>)
  std::string resume;                  // run folder to continue
  std::string weights;                 // where to copy the final (best) weights
  std::vector<std::string> overrides;  // --set key=value
};

// A loss for the progress line ("-" when not a number).
std::string Shown(double v) {
  if (!std::isfinite(v)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}

// The run `args` asks for: resumed from its folder, or new (on every rank
// of `world`; a new folder's default name is the leader's).
std::unique_ptr<MetaRun> OpenRun(const MetaTrainArgs& args,
                                 const std::shared_ptr<RankGroup>& world) {
  if (!args.resume.empty()) {
    if (!args.config.empty() || !args.out.empty() || !args.overrides.empty()) {
      throw SharedError(
          "--resume continues a run in its own folder with its own config; drop CONFIG, --set "
          "and --out");
    }
    AgreeOnSetup(*world, [&] {
      if (!args.weights.empty()) CheckParentFolderExists(args.weights);
    });
    auto run = MetaRun::Resume(args.resume, world);
    if (world->IsLeader()) {
      spdlog::info("resuming {} at meta-iteration {}", args.resume, run->Trainer().Iteration());
    }
    return run;
  }
  if (args.config.empty()) throw SharedError("meta-train needs a CONFIG.yaml");
  MetaConfig config;
  AgreeOnSetup(*world, [&] {
    if (!args.weights.empty()) CheckParentFolderExists(args.weights);
    // The run folder keeps the config with the overrides applied.
    config = ParseMetaConfig(LoadConfigWithOverrides(args.config, args.overrides), TaskFamilies());
  });
  const std::string dir =
      world->AllGather(args.out.empty() ? DefaultMetaRunDir(args.config) : args.out)[0];
  return std::make_unique<MetaRun>(config, dir, world);
}

// Announces the run: optimizer, outer algorithm, budget and folder.
void LogStart(const MetaRun& run, int ranks) {
  const MetaConfig& c = run.Trainer().Config();
  const std::string method =
      c.objective == MetaObjective::kWholeRun
          ? "antithetic ES over whole runs"
          : "PES over truncations of " + std::to_string(c.truncation) + " steps";
  spdlog::info(
      "meta-training {} ({} meta-parameters) with {}: {} pairs, {} meta-iterations{}; run "
      "folder {}",
      c.optimizer.GetString("type", "?"), run.Trainer().MetaParams().size(), method, c.pairs,
      c.iterations, ranks > 1 ? " on " + std::to_string(ranks) + " MPI ranks" : "", run.RunDir());
}

// Runs meta-training (shared over the ranks of `world`) and, on the
// leader, prints progress and where the weights are.
void RunMetaTrain(const MetaTrainArgs& args, const std::shared_ptr<RankGroup>& world) {
  const std::unique_ptr<MetaRun> run = OpenRun(args, world);
  if (!world->IsLeader()) {
    run->Run([](const MetaRunReport&) {});
    return;
  }
  LogStart(*run, world->Size());
  const int iterations = run->Trainer().Config().iterations;
  const int first = run->Trainer().Iteration();
  ProgressLine progress;
  const MetaRunSummary s = run->Run([&](const MetaRunReport& r) {
    char line[256];
    std::snprintf(line, sizeof line, "meta-iter %d/%d | meta-loss %s | best held-in %s",
                  r.iteration.iteration, iterations, Shown(r.iteration.meta_loss).c_str(),
                  Shown(r.best_held_in).c_str());
    const int todo = iterations - first;
    progress.Update(line,
                    todo > 0 ? static_cast<double>(r.iteration.iteration - first) / todo : 1.0);
  });
  char done[256];
  std::snprintf(done, sizeof done,
                "done: %d meta-iterations, %.0f s; held-in %s -> %s (best %s "
                "at %d), held-out %s",
                s.iterations, s.wall_seconds, Shown(s.first_held_in).c_str(),
                Shown(s.final_held_in).c_str(), Shown(s.best_held_in).c_str(), s.best_iteration,
                Shown(s.final_held_out).c_str());
  progress.Finish(done);
  if (!args.weights.empty()) CopyFileReplacing(s.best_weights, args.weights);
  std::printf("run folder: %s\n  weights: %s (best held-in), %s (latest)\n", run->RunDir().c_str(),
              s.best_weights.c_str(), s.latest_weights.c_str());
  if (!args.weights.empty()) std::printf("  copied to %s\n", args.weights.c_str());
}

}  // namespace

void AddMetaTrainCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  auto args = std::make_shared<MetaTrainArgs>();
  auto* cmd = app.add_subcommand("meta-train",
                                 "Meta-train a learned optimizer (mnemosyne, "
                                 "mnemosyne_coordinatewise, lstm) with PES or whole-run ES");
  cmd->add_option("config", args->config, "Meta-training config (configs/meta/)");
  cmd->add_option("--set", args->overrides,
                  "Override a config key, e.g. --set meta.iterations=0 (kept in the run folder)");
  cmd->add_option("--out", args->out, "Run folder (default: runs/meta-<config>-<time>)");
  cmd->add_option("--resume", args->resume, "Continue the run in this folder");
  cmd->add_option("--weights", args->weights,
                  "Also copy the final (best held-in) weights to this file");
  cmd->callback([args, world] { RunMetaTrain(*args, world); });
}

}  // namespace mnemo
