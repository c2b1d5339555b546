// mnemo-view: the robot running a policy (MuJoCo's renderer) with ImGui
// panels for the episode, the training run's timeline and learning curve,
// and the optimizer's state; live while training in the background.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "apps/lib/training/train_config.h"
#include "apps/view/episode_player.h"
#include "apps/view/live_training.h"
#include "apps/view/optimizer_panel.h"
#include "apps/view/run_browser.h"
#include "apps/view/snapshot_history.h"

namespace mnemo {

class RobotView;
class ViewerWindow;

// Fewest frames before a screenshot (ImGui sizes its windows on frame 1).
constexpr int kMinScreenshotFrames = 3;

// What the command line asks for.
struct ViewerOptions {
  std::string input;                   // policy file or run folder
  std::string train_config;            // --train: config to train live
  std::vector<std::string> overrides;  // --set key=value (with --train)
  std::string out;                     // --out: run folder (with --train)
  std::string xml;                     // --xml: another MJCF for the task
  std::string screenshot;              // --screenshot: PNG path ("": interactive)
  int frames = 60;                     // frames before the screenshot (>= kMinScreenshotFrames)
  int width = 1280;                    // window size
  int height = 800;
  std::uint64_t seed = 1;  // seed of the first episode
  int iteration = -1;      // checkpoint to open (-1: the last)
  double speed = 1.0;      // simulated seconds per second
  int max_fps = 0;         // frame-rate cap (0: 60, or 30 with --train)
};

// The viewer. The constructor reads every input (an Error for a missing or
// broken one) before any window opens; Run opens the window.
class ViewerApp {
 public:
  // Loads the policy, run folder or training config named by `options`.
  explicit ViewerApp(ViewerOptions options);
  ~ViewerApp();
  ViewerApp(const ViewerApp&) = delete;
  ViewerApp& operator=(const ViewerApp&) = delete;

  // Opens the window and runs until it is closed, or until the screenshot
  // is written. Returns the exit code.
  int Run();

 private:
  // Where things go on screen, in window coordinates.
  struct Layout {
    float scene_x, scene_y, scene_w, scene_h;  // the 3D view
    float side_x, side_w;                      // right column
    float bottom_y, bottom_h;                  // strip under the 3D view
  };

  // Opens `options_.input` as a policy file.
  void OpenPolicyFile(const std::string& path);
  // Opens `options_.input` as a run folder.
  void OpenRunFolder(const std::string& path);
  // Shows the newest checkpoint at or before `index` that loads; a damaged
  // one is skipped with a warning (it stays in the timeline, where choosing
  // it says why it cannot be shown). False when none loads.
  bool ShowCheckpointAtOrBefore(int index);
  // Reads the training config of --train (the run starts in Run).
  void PrepareTraining();
  // Creates the trainer and its run folder, and starts training.
  void StartTraining();
  // Opens the run's optimizer snapshots and the panel that shows them.
  void OpenOptimizerPanels(const TrainConfig& config);
  // Builds the task from `options` (with --xml applied) and the player.
  void MakeTaskAndPlayer(const std::string& task_name, TaskOptions options);

  // Plays checkpoint number `index` of the run from the start of an episode
  // with the current seed. Errors become a status line.
  void SelectCheckpoint(int index);
  // Starts a new episode with `seed`.
  void StartEpisode(std::uint64_t seed);
  // When following, plays the newest policy (the trainer's current one, or
  // the run's newest checkpoint) from now on, without restarting.
  void FollowNewest();
  // Re-reads the run folder and snapshots (at most every second or so).
  void RefreshRun(double now);
  // Advances the simulation by `wall_seconds` of display time.
  void Update(double wall_seconds, double now);

  // Computes the layout for a window of `width` x `height`.
  Layout ComputeLayout(int width, int height) const;
  // All ImGui windows of one frame.
  void DrawUi(const Layout& layout);
  // The episode window: controls, return and reward terms.
  void DrawEpisodeWindow(float x, float y, float w, float h);
  // The episode window's buttons, speed slider and seed field.
  void DrawEpisodeControls();
  // The episode window's plots: return so far and reward terms per step.
  void DrawEpisodePlots();
  // The training-run window: timeline and learning curve.
  void DrawRunWindow(float x, float y, float w, float h);
  // Live training's progress, or its failure (--train only).
  void DrawTrainingStatus();
  // The checkpoint slider, its buttons and the "follow newest" switch.
  void DrawTimeline();
  // The run folder's skipped parts and the learning curve, marked at the
  // policy shown.
  void DrawLearningCurve();
  // The optimizer window: the optimizer panel at the snapshot shown.
  void DrawOptimizerWindow(float x, float y, float w, float h);
  // Text over the 3D view: what is playing and how the episode ended.
  void DrawSceneOverlay(const Layout& layout);
  // Mouse on the 3D view (drag: turn, wheel: zoom) and keyboard shortcuts.
  void HandleInput(const Layout& layout);

  // Starts training (--train), then opens the window and the 3D view and
  // starts the first episode.
  void OpenWindow(bool screenshot);
  // Clears the frame and renders the robot into the layout's 3D view, for a
  // window of win_w x win_h and a framebuffer of fb_w x fb_h pixels.
  void RenderScene(const Layout& layout, int win_w, int win_h, int fb_w, int fb_h);
  // Shows the frame begun at `start`, then (interactive only) waits out the
  // rest of its period at `fps`, or longer while training runs.
  void PresentFrame(std::chrono::steady_clock::time_point start, int fps, bool screenshot);
  // With --train: stops training (says so if it was cut short), names the
  // run folder and rethrows a training failure.
  void FinishTraining();

  ViewerOptions options_;                   // the command line
  std::shared_ptr<const Task> task_;        // the robot shown (declared first: outlives the rest)
  std::unique_ptr<EpisodePlayer> player_;   // the episode being played
  std::unique_ptr<ViewerWindow> window_;    // the window, ImGui and the GL context
  std::unique_ptr<RobotView> robot_view_;   // MuJoCo's scene and renderer
  TrainConfig train_config_;                // --train only
  std::unique_ptr<LiveTraining> training_;  // --train only
  std::unique_ptr<RunBrowser> run_;         // run folder or --train
  std::unique_ptr<SnapshotHistory> snapshots_;       // run folder or --train
  std::unique_ptr<OptimizerPanel> optimizer_panel_;  // run folder or --train

  std::string source_label_;    // what is playing, for the user
  std::string policy_kind_;     // e.g. "linear, 102 parameters"
  int checkpoint_index_ = -1;   // index into run_->Checkpoints(); -1: none
  int shown_iteration_ = -1;    // training iteration of the policy; -1: unknown
  bool follow_newest_ = false;  // switch to the newest policy as it appears (checked once a second)
  bool playing_ = true;         // the simulation advances (not paused)
  bool loop_ = true;            // start the next episode when one ends
  float speed_ = 1.0f;          // simulated seconds per second
  std::uint64_t seed_ = 1;      // the current episode's seed
  double ended_wall_ = -1;      // display time when the episode ended
  double last_refresh_ = -1e9;  // display time of the last run-folder refresh
  double clock_ = 0;            // display time (seconds)
  double frame_rate_ = 0;       // frames per second drawn (smoothed)
  std::string status_;          // last non-fatal problem, shown in red
};

}  // namespace mnemo
