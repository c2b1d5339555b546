// mnemo-view: watch policies run and see what the optimizer remembers.
//   mnemo-view POLICY.json | RUN_DIR [--iteration I] | --train CONFIG.yaml
//              [--set k=v]... [--out DIR] [--xml FILE] [--seed S] [--speed X]
//              [--fps N] [--screenshot PNG [--frames N]] [--width W] [--height H]
#include <CLI/CLI.hpp>
#include <limits>

#include "apps/lib/cli_options.h"
#include "apps/lib/run_program.h"
#include "apps/view/viewer_app.h"

int main(int argc, char** argv) {
  CLI::App app{
      "mnemo-view: a policy rolling out in MuJoCo, the training run's timeline and learning "
      "curve, and the optimizer's memory"};
  mnemo::ViewerOptions options;
  app.add_option("input", options.input,
                 "Policy file (e.g. RUN/policy_best.json) or run folder of `mnemo train`");
  app.add_option("--train", options.train_config,
                 "Train this config in the background and show it live");
  app.add_option("--set", options.overrides,
                 "With --train: override a key, e.g. --set train.seed=3")
      ->allow_extra_args(false);
  app.add_option("--out", options.out,
                 "With --train: the run folder (default: runs/<config>-s<seed>-<time>)");
  app.add_option("--xml", options.xml, "Show the policy on another MJCF file of the same robot");
  auto* screenshot = app.add_option("--screenshot", options.screenshot,
                                    "Draw --frames frames, write the window to this PNG and exit");
  app.add_option("--frames", options.frames,
                 "Frames before the screenshot (default 60, at least 3; 60 Hz of "
                 "simulated time)")
      ->check(mnemo::IntegerIn(mnemo::kMinScreenshotFrames, 1000000))
      ->needs(screenshot);
  app.add_option("--width", options.width, "Window width (default 1280)")
      ->check(mnemo::IntegerIn(320, 8192));
  app.add_option("--height", options.height, "Window height (default 800)")
      ->check(mnemo::IntegerIn(240, 8192));
  app.add_option("--seed", options.seed, "Seed of the first episode (default 1)")
      ->check(mnemo::Unsigned64());
  app.add_option("--iteration", options.iteration,
                 "Run folder: open the checkpoint of this iteration (default: the last)")
      ->check(mnemo::IntegerIn(0, std::numeric_limits<int>::max()));
  app.add_option("--speed", options.speed, "Simulated seconds per second (default 1)")
      ->check(mnemo::NumberIn(0.05, 10.0));
  app.add_option("--fps", options.max_fps, "Frame-rate cap (default 60; 30 with --train)")
      ->check(mnemo::IntegerIn(1, 1000));
  return mnemo::RunProgram(app, argc, argv, "mnemo-view", [&] {
    mnemo::ViewerApp viewer(options);
    return viewer.Run();
  });
}
