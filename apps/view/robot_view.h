// The robot in 3D: MuJoCo's own abstract scene (mjv) and OpenGL renderer
// (mjr), with a camera that tracks the robot.
#pragma once

#include <mujoco/mujoco.h>

namespace mnemo {

// Draws a task's model in the current OpenGL context. Needs a current
// context from construction to destruction. Not copyable.
class RobotView {
 public:
  // A scene and render context for `model` (which must outlive the view);
  // the camera tracks the model's first body.
  explicit RobotView(const mjModel* model);
  ~RobotView();
  RobotView(const RobotView&) = delete;
  RobotView& operator=(const RobotView&) = delete;

  // Renders state `data` into `viewport` of the window's framebuffer
  // (OpenGL coordinates: origin at the bottom left).
  void Render(const mjrRect& viewport, mjData* data);
  // Turns the camera by a mouse drag of (dx, dy), in fractions of the
  // viewport's height.
  void Rotate(double dx, double dy);
  // Moves the camera nearer (dy > 0) or farther (dy < 0).
  void Zoom(double dy);
  // Puts the camera back to its starting side view (framed at the next
  // Render).
  void ResetCamera();

 private:
  // Sets the camera distance so that the robot in state `data` fills a
  // good part of the view.
  void FrameRobot(const mjData* data);

  const mjModel* model_;  // the task's model (owned by the task)
  mjvCamera camera_;      // free camera following the robot
  mjvOption option_;      // what the scene shows (MuJoCo's defaults)
  mjvScene scene_;        // the geoms to draw, rebuilt every frame
  mjrContext context_;    // MuJoCo's OpenGL resources
  bool framed_ = false;   // distance set for the robot's size
};

}  // namespace mnemo
