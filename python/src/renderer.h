// Offscreen pictures of a simulation: MuJoCo's renderer in an OpenGL context
// of its own (EGL without a display, so that it works on headless machines
// with Mesa), for env.render().
#pragma once

#include <mujoco/mujoco.h>

#include <memory>
#include <vector>

#include "envs/task.h"

namespace mnemo::python {

// An EGL context, a MuJoCo scene and its offscreen buffer, for one size of
// picture. Throws std::runtime_error saying why when no OpenGL context can
// be made (no EGL, no driver).
class Renderer {
 public:
  // A renderer of `model` for pictures of width x height pixels.
  Renderer(const mjModel* model, int width, int height);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // The picture of state `data` as RGB rows, top row first (width * height * 3
  // bytes), seen by a camera that follows the robot's first body.
  std::vector<unsigned char> Render(const mjData* data);
  int Width() const { return width_; }
  int Height() const { return height_; }

 private:
  // Sets the camera's distance to show the whole robot in state `data`.
  void Frame(const mjData* data);

  struct Context;                     // the EGL display and context
  std::unique_ptr<Context> context_;  // made current before each use
  ModelPtr model_;                    // a copy sized for the offscreen buffer
  mjvScene scene_;
  mjvCamera camera_;
  mjvOption option_;
  mjrContext mjr_;
  int width_;
  int height_;
  bool framed_ = false;  // the distance is set (at the first picture)
};

}  // namespace mnemo::python
