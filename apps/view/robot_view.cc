#include "apps/view/robot_view.h"

#include <algorithm>
#include <cmath>

namespace mnemo {
namespace {

// Most geoms the scene holds (the humanoid has a few dozen).
constexpr int kMaxSceneGeoms = 2000;
// Side view: looking along +y, slightly from above.
constexpr double kAzimuth = 90;
constexpr double kElevation = -15;
// Camera distance in units of the robot's radius, and its floor (metres).
constexpr double kDistanceInRadii = 4.5;
constexpr double kMinDistance = 2.0;

}  // namespace

RobotView::RobotView(const mjModel* model) : model_(model) {
  mjv_defaultCamera(&camera_);
  mjv_defaultOption(&option_);
  mjv_defaultScene(&scene_);
  mjr_defaultContext(&context_);
  mjv_makeScene(model_, &scene_, kMaxSceneGeoms);
  mjr_makeContext(model_, &context_, mjFONTSCALE_150);
  mjr_setBuffer(mjFB_WINDOW, &context_);
  ResetCamera();
}

RobotView::~RobotView() {
  mjr_freeContext(&context_);
  mjv_freeScene(&scene_);
}

void RobotView::ResetCamera() {
  camera_.type = model_->nbody > 1 ? mjCAMERA_TRACKING : mjCAMERA_FREE;
  camera_.trackbodyid = model_->nbody > 1 ? 1 : -1;
  camera_.azimuth = kAzimuth;
  camera_.elevation = kElevation;
  camera_.distance = kMinDistance;
  framed_ = false;
}

void RobotView::FrameRobot(const mjData* data) {
  framed_ = true;
  if (model_->nbody < 2) return;
  // The robot's radius: farthest geom bound from the tracked body's centre
  // of mass (world geoms such as the floor are left out).
  const mjtNum* centre = data->subtree_com + 3;
  double radius = 0;
  for (int g = 0; g < model_->ngeom; ++g) {
    if (model_->geom_bodyid[g] == 0) continue;
    const mjtNum* p = data->geom_xpos + 3 * g;
    const double dx = p[0] - centre[0];
    const double dy = p[1] - centre[1];
    const double dz = p[2] - centre[2];
    radius = std::max(radius, std::sqrt(dx * dx + dy * dy + dz * dz) + model_->geom_rbound[g]);
  }
  camera_.distance = std::max(kMinDistance, kDistanceInRadii * radius);
}

void RobotView::Render(const mjrRect& viewport, mjData* data) {
  if (!framed_) FrameRobot(data);
  mjr_setBuffer(mjFB_WINDOW, &context_);
  mjv_updateScene(model_, data, &option_, nullptr, &camera_, mjCAT_ALL, &scene_);
  mjr_render(viewport, &scene_, &context_);
}

void RobotView::Rotate(double dx, double dy) {
  mjv_moveCamera(model_, mjMOUSE_ROTATE_V, dx, dy, &scene_, &camera_);
}

void RobotView::Zoom(double dy) {
  mjv_moveCamera(model_, mjMOUSE_ZOOM, 0, -0.05 * dy, &scene_, &camera_);
}

}  // namespace mnemo
