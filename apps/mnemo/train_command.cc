// `mnemo train [CONFIG.yaml] [--set k=v]... [--out DIR] [--resume DIR]`.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "apps/lib/training/progress_line.h"
#include "apps/lib/training/run_files.h"
#include "apps/lib/training/trainer.h"
#include "apps/mnemo/commands.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// Options of the command.
struct TrainArgs {
  std::string config;                  // empty: the default config
  std::vector<std::string> overrides;  // --set key=value
  std::string out;                     // run folder (default: runs/<name>-<time>)
  std::string resume;                  // run folder to continue
};

// Runs training (shared over the ranks of `world`) and, on the leader,
// prints progress and where the results are.
void RunTrain(const TrainArgs& args, const std::shared_ptr<RankGroup>& world) {
  std::unique_ptr<Trainer> trainer;
  if (!args.resume.empty()) {
    if (!args.config.empty() || !args.overrides.empty() || !args.out.empty()) {
      throw SharedError(
          "--resume continues a run in its own folder with its own config; drop CONFIG, --set "
          "and --out");
    }
    trainer = Trainer::Resume(args.resume, 0, Policies(), world);
    if (world->IsLeader()) spdlog::info("resuming {}", args.resume);
  } else {
    TrainConfig config;
    AgreeOnSetup(*world, [&] { config = LoadTrainConfig(args.config, args.overrides); });
    // The leader's name for a new folder (a default name holds the time).
    const std::string dir =
        world->AllGather(args.out.empty() ? DefaultTrainRunDir(config) : args.out)[0];
    trainer = std::make_unique<Trainer>(std::move(config), dir, world);
  }
  const TrainConfig& c = trainer->Config();
  if (world->IsLeader()) {
    spdlog::info("training {} with {} (seed {}){}, run folder {}", c.task,
                 c.search.GetString("type", "?"), c.seed,
                 world->Size() > 1 ? " on " + std::to_string(world->Size()) + " MPI ranks" : "",
                 trainer->RunDir());
  }
  if (!world->IsLeader()) {
    trainer->Run();
    return;
  }
  ProgressLine progress;
  // Time left counts from where this session started (a resumed run's
  // earlier sessions are not in the elapsed time).
  const double done_before = trainer->FractionDone();
  const TrainSummary s = trainer->Run([&](const IterationReport& r) {
    char best[32] = "-";
    if (std::isfinite(r.best_eval_return)) {
      std::snprintf(best, sizeof best, "%.1f", r.best_eval_return);
    }
    char line[256];
    std::snprintf(line, sizeof line,
                  "iter %d | episodes %lld | train %.1f | best eval %s | %.0f steps/s", r.iteration,
                  static_cast<long long>(r.episodes), r.train_return_mean, best,
                  r.env_steps_per_second);
    progress.Update(
        line, done_before < 1.0 ? (r.fraction_done - done_before) / (1.0 - done_before) : 1.0);
  });
  char done[512];
  std::snprintf(done, sizeof done,
                "done: %d iterations, %lld episodes, %.0f s; final eval %.1f, best eval %.1f%s",
                s.iterations, static_cast<long long>(s.episodes), s.wall_seconds,
                s.final_eval_return, s.best_eval_return,
                s.episodes_to_threshold >= 0
                    ? (", threshold " + std::to_string(int(s.threshold)) + " reached after " +
                       std::to_string(s.episodes_to_threshold) + " episodes")
                          .c_str()
                    : "");
  progress.Finish(done);
  std::printf("run folder: %s\n  policy:  %s/policy_best.json\n  summary: %s/summary.json\n",
              trainer->RunDir().c_str(), trainer->RunDir().c_str(), trainer->RunDir().c_str());
}

}  // namespace

void AddTrainCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train a policy from a YAML config");
  cmd->add_option("config", args->config, "Config file (default: configs/train/default.yaml)");
  cmd->add_option("--set", args->overrides, "Override a config key, e.g. --set train.seed=3")
      ->allow_extra_args(false);
  cmd->add_option("--out", args->out, "Run folder (default: runs/<config>-s<seed>-<time>)");
  cmd->add_option("--resume", args->resume, "Continue the run in this folder");
  cmd->callback([args, world] { RunTrain(*args, world); });
}

}  // namespace mnemo
