#include "apps/view/viewer_app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <thread>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "apps/lib/training/run_files.h"
#include "apps/view/plots.h"
#include "apps/view/robot_view.h"
#include "apps/view/screenshot.h"
#include "apps/view/viewer_window.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Display time per frame when taking a screenshot (deterministic frames).
constexpr double kScreenshotFrameSeconds = 1.0 / 60;
// Frame-rate caps: interactive, and while training in the background.
constexpr int kDefaultFps = 60;
constexpr int kTrainingFps = 30;
// Share of wall time the viewer may spend drawing while training runs (the
// rest is left to training), and the longest pause between frames.
constexpr double kTrainingDuty = 0.05;
constexpr double kMaxFramePeriod = 2.0;
// Seconds between re-reads of the run folder.
constexpr double kRefreshSeconds = 1.0;
// Seconds an ended episode stays on screen before the next one starts.
constexpr double kEndPauseSeconds = 1.5;
// Most environment steps per frame (when the display cannot keep up).
constexpr int kMaxStepsPerFrame = 20;
// Width of the right column as a fraction of the window, with limits.
constexpr float kSideFraction = 0.36f;
constexpr float kMinSide = 360;
constexpr float kMaxSide = 560;
// Height of the strip under the 3D view as a fraction, with limits.
constexpr float kBottomFraction = 0.35f;
constexpr float kMinBottom = 230;
constexpr float kMaxBottom = 360;
// Window flags of the fixed panels.
constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoSavedSettings;
// Colour of the live-training status.
const ImVec4 kLiveColor(0.45f, 0.85f, 0.45f, 1.0f);

// "linear, 102 parameters, normalized observations".
std::string DescribePolicy(const SavedPolicy& p) {
  std::string s = p.spec.kind;
  for (std::size_t i = 0; i < p.spec.hidden.size(); ++i) {
    s += i == 0 ? ' ' : 'x';
    s += std::to_string(p.spec.hidden[i]);
  }
  s += ", " + std::to_string(p.params.size()) + " parameters";
  if (p.normalize) s += ", normalized observations";
  return s;
}

// 1, 2, ..., n as doubles (the x axis of per-step plots).
std::vector<double> Steps(std::size_t n) {
  std::vector<double> xs(n);
  for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i + 1);
  return xs;
}

}  // namespace

ViewerApp::ViewerApp(ViewerOptions options) : options_(std::move(options)) {
  speed_ = static_cast<float>(std::clamp(options_.speed, 0.05, 10.0));
  seed_ = options_.seed;
  const bool run_folder = !options_.input.empty() && fs::is_directory(options_.input);
  if (options_.iteration >= 0 && !run_folder) {
    throw Error("--iteration only goes with a run folder (it picks one of its checkpoints)");
  }
  if (!options_.train_config.empty()) {
    if (!options_.input.empty()) {
      throw Error("give either a policy / run folder or --train CONFIG.yaml, not both");
    }
    PrepareTraining();
    return;
  }
  if (!options_.overrides.empty() || !options_.out.empty()) {
    throw Error("--set and --out only go with --train CONFIG.yaml");
  }
  if (options_.input.empty()) {
    throw Error(
        "nothing to show: give a policy file, a run folder, or --train "
        "CONFIG.yaml");
  }
  const std::string& in = options_.input;
  if (run_folder) {
    OpenRunFolder(in);
  } else if (fs::exists(in)) {
    const std::string ext = fs::path(in).extension().string();
    if (ext == ".yaml" || ext == ".yml") {
      throw Error({in, 0, ""},
                  "is a config, not a policy; to train it live: mnemo-view --train " + in);
    }
    OpenPolicyFile(in);
  } else {
    throw Error({in, 0, ""}, "no such policy file or run folder");
  }
}

ViewerApp::~ViewerApp() {
  // Stop training before the window and GL objects go.
  training_.reset();
  robot_view_.reset();
  window_.reset();
}

void ViewerApp::MakeTaskAndPlayer(const std::string& task_name, TaskOptions options) {
  if (!options_.xml.empty()) options.xml_path = options_.xml;
  task_ = MakeTask(task_name, options);
  player_ = std::make_unique<EpisodePlayer>(task_);
}

void ViewerApp::OpenPolicyFile(const std::string& path) {
  const SavedPolicy policy = LoadPolicy(path);
  MakeTaskAndPlayer(policy.task, TaskOptionsOfPolicy(path, policy.task));
  player_->SetPolicy(policy, path);
  source_label_ = fs::path(path).filename().string();
  policy_kind_ = DescribePolicy(policy);
}

void ViewerApp::OpenRunFolder(const std::string& path) {
  run_ = std::make_unique<RunBrowser>(path);
  const TrainConfig& config = run_->Config();
  MakeTaskAndPlayer(config.task, config.task_options);
  OpenOptimizerPanels(config);
  // What is skipped is said once here, and stays in the panels.
  for (const std::string& problem : run_->Problems()) {
    std::fprintf(stderr, "mnemo-view: warning: %s\n", OneLine(problem).c_str());
  }
  for (const std::string& problem : snapshots_->Problems()) {
    std::fprintf(stderr, "mnemo-view: warning: snapshot skipped: %s\n", OneLine(problem).c_str());
  }
  const std::vector<int>& checkpoints = run_->Checkpoints();
  int index = static_cast<int>(checkpoints.size()) - 1;
  if (!checkpoints.empty() && options_.iteration >= 0) {
    const auto after = std::upper_bound(checkpoints.begin(), checkpoints.end(), options_.iteration);
    index = std::max(0, static_cast<int>(after - checkpoints.begin()) - 1);
    if (checkpoints[index] != options_.iteration) {
      std::fprintf(stderr, "mnemo-view: no checkpoint at iteration %d; showing iteration %d\n",
                   options_.iteration, checkpoints[index]);
    }
  }
  if (ShowCheckpointAtOrBefore(index)) return;
  const std::string file = run_->FallbackPolicyPath();
  if (file.empty()) {
    throw Error({run_->Dir(), 0, ""},
                "the run folder holds no policy that loads (no checkpoint that loads, "
                "policy_best.json or policy_latest.json)");
  }
  const SavedPolicy policy = LoadPolicy(file);
  player_->SetPolicy(policy, file);
  source_label_ = fs::path(file).filename().string();
  policy_kind_ = DescribePolicy(policy);
}

bool ViewerApp::ShowCheckpointAtOrBefore(int index) {
  const std::vector<int>& checkpoints = run_->Checkpoints();
  for (; index >= 0; --index) {
    const std::string file = run_->CheckpointPath(checkpoints[index]);
    try {
      const SavedPolicy policy = LoadPolicy(file);
      player_->SetPolicy(policy, file);
      policy_kind_ = DescribePolicy(policy);
    } catch (const Error& e) {
      // Damaged: skipped, as damaged snapshots and metrics rows are.
      std::fprintf(stderr, "mnemo-view: warning: checkpoint skipped: %s\n",
                   OneLine(e.what()).c_str());
      continue;
    }
    checkpoint_index_ = index;
    shown_iteration_ = checkpoints[index];
    source_label_ = "iteration " + std::to_string(shown_iteration_);
    return true;
  }
  return false;
}

void ViewerApp::PrepareTraining() {
  train_config_ = LoadTrainConfig(options_.train_config, options_.overrides);
  if (options_.out.empty()) options_.out = DefaultTrainRunDir(train_config_);
  if (fs::exists(options_.out + "/state.bin")) {
    throw Error({options_.out, 0, ""}, "the folder already holds a run; choose another --out");
  }
  MakeTaskAndPlayer(train_config_.task, train_config_.task_options);
  source_label_ = "live";
  follow_newest_ = true;
}

void ViewerApp::OpenOptimizerPanels(const TrainConfig& config) {
  snapshots_ = std::make_unique<SnapshotHistory>(run_->Dir() + "/snapshots");
  snapshots_->Refresh();
  optimizer_panel_ =
      std::make_unique<OptimizerPanel>(config.optimizer.GetString("type", ""),
                                       config.search.GetString("type", ""), config.snapshot_every);
}

void ViewerApp::StartTraining() {
  training_ = std::make_unique<LiveTraining>(train_config_, options_.out);
  run_ = std::make_unique<RunBrowser>(training_->RunDir());
  OpenOptimizerPanels(training_->Config());
  const SavedPolicy policy = training_->CurrentPolicy();
  player_->SetPolicy(policy, training_->RunDir());
  policy_kind_ = DescribePolicy(policy);
  shown_iteration_ = 0;
  training_->Start();
}

void ViewerApp::SelectCheckpoint(int index) {
  if (!run_ || index < 0 || index >= static_cast<int>(run_->Checkpoints().size())) return;
  const int iteration = run_->Checkpoints()[index];
  const std::string file = run_->CheckpointPath(iteration);
  try {
    const SavedPolicy policy = LoadPolicy(file);
    player_->SetPolicy(policy, file);
    policy_kind_ = DescribePolicy(policy);
  } catch (const Error& e) {
    status_ = e.what();
    return;
  }
  status_.clear();
  checkpoint_index_ = index;
  shown_iteration_ = iteration;
  source_label_ = "iteration " + std::to_string(iteration);
  follow_newest_ = false;
  player_->NewEpisode(seed_);
  ended_wall_ = -1;
}

void ViewerApp::StartEpisode(std::uint64_t seed) {
  seed_ = seed;
  player_->NewEpisode(seed_);
  ended_wall_ = -1;
}

void ViewerApp::FollowNewest() {
  if (!follow_newest_ || !run_) return;
  const std::vector<int>& checkpoints = run_->Checkpoints();
  if (training_) {
    if (!checkpoints.empty()) checkpoint_index_ = static_cast<int>(checkpoints.size()) - 1;
    const IterationReport report = training_->LastReport();
    if (report.iteration == shown_iteration_) return;
    const SavedPolicy policy = training_->CurrentPolicy();
    player_->SetPolicy(policy, training_->RunDir());
    shown_iteration_ = report.iteration;
    source_label_ = "live, iteration " + std::to_string(report.iteration);
    return;
  }
  if (checkpoints.empty() || checkpoints.back() == shown_iteration_) return;
  const std::string file = run_->CheckpointPath(checkpoints.back());
  try {
    player_->SetPolicy(LoadPolicy(file), file);
  } catch (const Error& e) {
    status_ = e.what();
    follow_newest_ = false;
    return;
  }
  checkpoint_index_ = static_cast<int>(checkpoints.size()) - 1;
  shown_iteration_ = checkpoints.back();
  source_label_ = "iteration " + std::to_string(shown_iteration_);
}

void ViewerApp::RefreshRun(double now) {
  if (!run_ || now - last_refresh_ < kRefreshSeconds) return;
  last_refresh_ = now;
  run_->Refresh();
  // Checkpoints deleted meanwhile move the shown one's index.
  const std::vector<int>& checkpoints = run_->Checkpoints();
  const auto shown = std::lower_bound(checkpoints.begin(), checkpoints.end(), shown_iteration_);
  if (shown != checkpoints.end() && *shown == shown_iteration_) {
    checkpoint_index_ = static_cast<int>(shown - checkpoints.begin());
  }
  if (snapshots_) snapshots_->Refresh();
  FollowNewest();
}

void ViewerApp::Update(double wall_seconds, double now) {
  RefreshRun(now);
  if (playing_) player_->Advance(wall_seconds * speed_, kMaxStepsPerFrame);
  if (player_->Ended()) {
    if (ended_wall_ < 0) ended_wall_ = now;
    if (loop_ && playing_ && now - ended_wall_ >= kEndPauseSeconds) StartEpisode(seed_ + 1);
  }
}

ViewerApp::Layout ViewerApp::ComputeLayout(int width, int height) const {
  Layout l;
  const float w = static_cast<float>(width);
  const float h = static_cast<float>(height);
  l.side_w = std::clamp(w * kSideFraction, kMinSide, kMaxSide);
  l.side_w = std::min(l.side_w, w * 0.5f);
  l.side_x = w - l.side_w;
  l.scene_x = 0;
  l.scene_y = 0;
  l.scene_w = l.side_x;
  if (run_ || training_) {
    l.bottom_h = std::min(std::clamp(h * kBottomFraction, kMinBottom, kMaxBottom), h * 0.5f);
  } else {
    l.bottom_h = 0;
  }
  l.bottom_y = h - l.bottom_h;
  l.scene_h = l.bottom_y;
  return l;
}

void ViewerApp::DrawUi(const Layout& l) {
  if (run_ || training_) {
    DrawEpisodeWindow(0, l.bottom_y, l.scene_w * 0.5f, l.bottom_h);
    DrawRunWindow(l.scene_w * 0.5f, l.bottom_y, l.scene_w * 0.5f, l.bottom_h);
    DrawOptimizerWindow(l.side_x, 0, l.side_w, l.bottom_y + l.bottom_h);
  } else {
    DrawEpisodeWindow(l.side_x, 0, l.side_w, l.scene_h);
  }
  DrawSceneOverlay(l);
}

void ViewerApp::DrawEpisodeWindow(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
  ImGui::Begin("Episode", nullptr, kPanelFlags);
  DrawEpisodeControls();
  const int max_steps = task_->Options().max_episode_steps;
  ImGui::Text("%s  step %d/%d  return so far %.1f", task_->Name().c_str(), player_->Steps(),
              max_steps, player_->Return());
  if (!(run_ || training_)) ImGui::TextColored(kNoteColor, "%s", policy_kind_.c_str());
  if (player_->Ended()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kWarnColor, "ended: %s",
                       DescribeTermination(player_->Reason(), player_->Steps(), max_steps).c_str());
    ImGui::PopTextWrapPos();
  }
  DrawEpisodePlots();
  ImGui::End();
}

void ViewerApp::DrawEpisodeControls() {
  if (ImGui::Button(playing_ ? "Pause" : "Play ")) playing_ = !playing_;
  ImGui::SameLine();
  if (ImGui::Button("Step")) {
    playing_ = false;
    player_->StepOnce();
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset")) StartEpisode(seed_);
  ImGui::SameLine();
  if (ImGui::Button("New seed")) StartEpisode(seed_ + 1);
  ImGui::SameLine();
  ImGui::Checkbox("loop", &loop_);
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip(
        "space: play/pause   right arrow: one step   R: reset   N: new seed\n"
        "C: reset the camera   drag on the robot: turn   wheel: zoom");
  }
  ImGui::SetNextItemWidth(std::min(130.0f, ImGui::GetContentRegionAvail().x * 0.35f));
  // The same range as --speed.
  ImGui::SliderFloat("speed", &speed_, 0.05f, 10.0f, "%.2fx", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  // Any 64-bit seed, as --seed; a typed seed starts on Enter, not per keystroke.
  std::uint64_t seed = seed_;
  const std::uint64_t seed_step = 1;
  // The rest of the line, but the label.
  ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x -
                                              ImGui::CalcTextSize("seed").x -
                                              ImGui::GetStyle().ItemInnerSpacing.x));
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &seed, &seed_step, nullptr, "%llu",
                         ImGuiInputTextFlags_EnterReturnsTrue)) {
    StartEpisode(seed);
  }
}

void ViewerApp::DrawEpisodePlots() {
  const std::vector<double> xs = Steps(player_->ReturnTrace().size());
  const float avail = ImGui::GetContentRegionAvail().y;
  const float plot_w = ImGui::GetContentRegionAvail().x;
  const float text = ImGui::GetTextLineHeightWithSpacing();
  const float return_h = std::max(40.0f, avail * 0.4f - text);
  const float terms_h = std::max(50.0f, avail * 0.6f - text);
  LinePlot("return", xs, {{"", player_->ReturnTrace(), SeriesColor(0)}}, NAN,
           ImVec2(plot_w, return_h));
  ImGui::Text("reward terms per step");
  std::vector<PlotSeries> terms;
  for (std::size_t k = 0; k < player_->TermNames().size(); ++k) {
    terms.push_back(
        {player_->TermNames()[k], player_->TermTraces()[k], SeriesColor(static_cast<int>(k) + 1)});
  }
  LinePlot("terms", xs, terms, NAN, ImVec2(plot_w, terms_h));
}

void ViewerApp::DrawRunWindow(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
  ImGui::Begin("Training run", nullptr, kPanelFlags);
  const TrainConfig& config = run_ ? run_->Config() : train_config_;
  std::string method = config.search.GetString("type", "?");
  const std::string optimizer = config.optimizer.GetString("type", "");
  if (!optimizer.empty()) method += " + " + optimizer;
  ImGui::TextColored(kNoteColor, "%s: %s, %s", run_ ? run_->Dir().c_str() : options_.out.c_str(),
                     config.task.c_str(), method.c_str());
  if (training_) DrawTrainingStatus();
  DrawTimeline();
  if (!status_.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kWarnColor, "%s", status_.c_str());
    ImGui::PopTextWrapPos();
  }
  if (run_) DrawLearningCurve();
  ImGui::End();
}

void ViewerApp::DrawTrainingStatus() {
  const IterationReport r = training_->LastReport();
  const std::string failure = training_->Failure();
  if (!failure.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kWarnColor, "training failed: %s", failure.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextColored(training_->Finished() ? kNoteColor : kLiveColor,
                       "%s iteration %d, %lld episodes, %.0f steps/s, %.0f%% done",
                       training_->Finished() ? "finished:" : "training:", r.iteration,
                       static_cast<long long>(r.episodes), r.env_steps_per_second,
                       100 * r.fraction_done);
  }
  if (!training_->Finished()) {
    ImGui::TextColored(kNoteColor, "display %.1f frames/s while training (training comes first)",
                       frame_rate_);
  }
}

void ViewerApp::DrawTimeline() {
  const std::vector<int>& checkpoints = run_ ? run_->Checkpoints() : std::vector<int>();
  if (checkpoints.empty()) {
    ImGui::TextColored(kNoteColor, "no checkpoints yet");
  } else {
    int index = std::clamp(checkpoint_index_, 0, static_cast<int>(checkpoints.size()) - 1);
    std::string format = "iteration " + std::to_string(checkpoints[index]);
    if (follow_newest_) format += " (newest)";
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 70);
    if (ImGui::SliderInt("timeline", &index, 0, static_cast<int>(checkpoints.size()) - 1,
                         format.c_str(), ImGuiSliderFlags_AlwaysClamp)) {
      SelectCheckpoint(index);
    }
    if (ImGui::Button("<")) SelectCheckpoint(std::max(0, checkpoint_index_ - 1));
    ImGui::SameLine();
    if (ImGui::Button(">")) {
      SelectCheckpoint(std::min(static_cast<int>(checkpoints.size()) - 1, checkpoint_index_ + 1));
    }
    ImGui::SameLine();
    if (ImGui::Button("last")) SelectCheckpoint(static_cast<int>(checkpoints.size()) - 1);
    ImGui::SameLine();
  }
  if (ImGui::Checkbox("follow newest", &follow_newest_) && follow_newest_) {
    last_refresh_ = -1e9;  // take the newest at once
  }
}

void ViewerApp::DrawLearningCurve() {
  ImGui::PushTextWrapPos(0);
  for (const std::string& problem : run_->Problems()) {
    ImGui::TextColored(kWarnColor, "skipped: %s", problem.c_str());
  }
  ImGui::PopTextWrapPos();
  const LearningCurve& c = run_->Curve();
  double marker = NAN;
  if (shown_iteration_ >= 0) marker = run_->EpisodesAt(shown_iteration_);
  ImGui::Text("learning curve: return vs episodes");
  LinePlot("curve", c.episodes,
           {{"train mean", c.train_return_mean, SeriesColor(0)},
            {"eval mean", c.eval_return_mean, SeriesColor(1)}},
           marker, ImGui::GetContentRegionAvail());
}

void ViewerApp::DrawOptimizerWindow(float x, float y, float w, float h) {
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
  ImGui::Begin("Optimizer", nullptr, kPanelFlags);
  if (optimizer_panel_ && snapshots_) {
    // Following: the newest snapshot; scrubbing: the one of the checkpoint.
    const int iteration =
        follow_newest_ || shown_iteration_ < 0 ? std::numeric_limits<int>::max() : shown_iteration_;
    optimizer_panel_->Draw(*snapshots_, iteration);
  }
  ImGui::End();
}

void ViewerApp::DrawSceneOverlay(const Layout& l) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  ImVec2 at(l.scene_x + 8, l.scene_y + 6);
  char text[256];
  std::snprintf(text, sizeof text, "%s | %s | seed %llu | step %d | return %.1f%s",
                task_->Name().c_str(), source_label_.c_str(),
                static_cast<unsigned long long>(seed_), player_->Steps(), player_->Return(),
                playing_ ? "" : " | paused");
  draw->AddText(ImVec2(at.x + 1, at.y + 1), IM_COL32(0, 0, 0, 200), text);
  draw->AddText(at, IM_COL32(255, 255, 255, 255), text);
  if (player_->Ended()) {
    at.y += line;
    const std::string reason =
        "episode ended: " + DescribeTermination(player_->Reason(), player_->Steps(),
                                                task_->Options().max_episode_steps);
    draw->AddText(ImVec2(at.x + 1, at.y + 1), IM_COL32(0, 0, 0, 200), reason.c_str());
    draw->AddText(at, ImGui::ColorConvertFloat4ToU32(kWarnColor), reason.c_str());
  }
}

void ViewerApp::HandleInput(const Layout& l) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantCaptureKeyboard) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) playing_ = !playing_;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) {
      playing_ = false;
      player_->StepOnce();
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_R)) StartEpisode(seed_);
    if (ImGui::IsKeyPressed(GLFW_KEY_N)) StartEpisode(seed_ + 1);
    if (ImGui::IsKeyPressed(GLFW_KEY_C) && robot_view_) robot_view_->ResetCamera();
  }
  if (io.WantCaptureMouse || !robot_view_) return;
  const ImVec2 m = io.MousePos;
  const bool inside = m.x >= l.scene_x && m.x < l.scene_x + l.scene_w && m.y >= l.scene_y &&
                      m.y < l.scene_y + l.scene_h;
  if (!inside) return;
  if (io.MouseDown[0] && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    robot_view_->Rotate(io.MouseDelta.x / l.scene_h, io.MouseDelta.y / l.scene_h);
  }
  if (io.MouseWheel != 0) robot_view_->Zoom(io.MouseWheel);
}

void ViewerApp::OpenWindow(bool screenshot) {
  const std::string title = "mnemo-view: " + task_->Name() + " - " +
                            (options_.input.empty() ? options_.out : options_.input);
  // A screenshot needs no window on screen; MNEMO_VIEW_SHOW shows it anyway.
  const bool visible = !screenshot || std::getenv("MNEMO_VIEW_SHOW") != nullptr;
  if (!options_.train_config.empty()) {
    // Training starts first, at normal priority; the window and whatever
    // threads its OpenGL driver starts run below it.
    ViewerWindow::RequireDisplay();
    StartTraining();
    YieldToTraining();
  }
  window_ = std::make_unique<ViewerWindow>(title, options_.width, options_.height, visible);
  // While training, the frame pacing below leaves the machine to training.
  window_->SetVsync(!screenshot && options_.train_config.empty());
  robot_view_ = std::make_unique<RobotView>(task_->Model());
  player_->NewEpisode(seed_);
}

void ViewerApp::RenderScene(const Layout& layout, int win_w, int win_h, int fb_w, int fb_h) {
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  const float sx = static_cast<float>(fb_w) / std::max(win_w, 1);
  const float sy = static_cast<float>(fb_h) / std::max(win_h, 1);
  const mjrRect scene{static_cast<int>(layout.scene_x * sx),
                      static_cast<int>((win_h - layout.scene_y - layout.scene_h) * sy),
                      static_cast<int>(layout.scene_w * sx), static_cast<int>(layout.scene_h * sy)};
  if (scene.width > 0 && scene.height > 0) robot_view_->Render(scene, player_->Data());
}

void ViewerApp::PresentFrame(std::chrono::steady_clock::time_point start, int fps,
                             bool screenshot) {
  using Clock = std::chrono::steady_clock;
  const bool training = training_ && !training_->Finished();
  if (training) glFinish();  // count the GPU's (or software renderer's) work
  const double work = std::chrono::duration<double>(Clock::now() - start).count();
  window_->SwapBuffers();
  if (!screenshot) {
    double period = 1.0 / fps;
    if (training) period = std::clamp(work / kTrainingDuty, period, kMaxFramePeriod);
    frame_rate_ += 0.1 * (1.0 / std::max(period, work) - frame_rate_);
    const auto spent = Clock::now() - start;
    const auto budget = std::chrono::duration<double>(period);
    if (spent < budget) std::this_thread::sleep_for(budget - spent);
  }
}

void ViewerApp::FinishTraining() {
  if (!training_) return;
  if (!training_->Finished()) {
    window_->Hide();
    std::fprintf(stderr,
                 "mnemo-view: training stopped; the run folder keeps its last finished "
                 "iteration (mnemo train --resume continues it)\n");
  }
  training_->StopAndWait();
  std::printf("mnemo-view: run folder %s\n", training_->RunDir().c_str());
  training_->RethrowFailure();  // a failed training is not a success
}

int ViewerApp::Run() {
  const bool screenshot = !options_.screenshot.empty();
  OpenWindow(screenshot);
  const int fps =
      options_.max_fps > 0 ? options_.max_fps : (training_ ? kTrainingFps : kDefaultFps);
  const int frames = options_.frames;
  using Clock = std::chrono::steady_clock;
  auto last = Clock::now();
  for (int frame = 0; !window_->ShouldClose(); ++frame) {
    const auto start = Clock::now();
    window_->PollEvents();
    const double wall = screenshot
                            ? kScreenshotFrameSeconds
                            : std::min(0.25, std::chrono::duration<double>(start - last).count());
    last = start;
    clock_ += wall;
    Update(frame == 0 ? 0 : wall, clock_);

    int win_w = 0;
    int win_h = 0;
    int fb_w = 0;
    int fb_h = 0;
    window_->WindowSize(&win_w, &win_h);
    window_->FramebufferSize(&fb_w, &fb_h);
    if (fb_w <= 0 || fb_h <= 0) {  // minimised
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const Layout layout = ComputeLayout(win_w, win_h);
    window_->BeginFrame();
    HandleInput(layout);
    DrawUi(layout);
    RenderScene(layout, win_w, win_h, fb_w, fb_h);
    window_->RenderImGui();

    if (screenshot && frame + 1 >= frames) {
      WritePng(ReadBackBuffer(fb_w, fb_h), options_.screenshot);
      std::printf("mnemo-view: wrote %s (%dx%d, %d frames)\n", options_.screenshot.c_str(), fb_w,
                  fb_h, frame + 1);
      break;
    }
    PresentFrame(start, fps, screenshot);
  }
  FinishTraining();
  return 0;
}

}  // namespace mnemo
