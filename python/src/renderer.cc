#include "python/src/renderer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#ifdef MNEMO_WITH_EGL
#include <EGL/egl.h>
#include <EGL/eglext.h>
#endif

namespace mnemo::python {
namespace {

// Most geoms a scene draws.
constexpr int kMaxSceneGeoms = 2000;
// The largest picture side.
constexpr int kMaxSide = 4096;
// The camera's distance from the robot, in robot radii, and at least.
constexpr double kDistanceInRadii = 3.5;
constexpr double kMinDistance = 2.0;

// The error for a machine where no OpenGL context can be made.
std::runtime_error NoContext(const std::string& why) {
  return std::runtime_error("render: no OpenGL context (" + why +
                            "); rendering needs EGL and an OpenGL driver such as Mesa's "
                            "(Debian: libegl1 libgl1-mesa-dri)");
}

}  // namespace

#ifdef MNEMO_WITH_EGL
// An EGL context without a surface, on Mesa's display-less platform when
// there is one, else on the default display.
struct Renderer::Context {
  EGLDisplay display = EGL_NO_DISPLAY;
  EGLContext context = EGL_NO_CONTEXT;

  Context() {
    auto platform_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
        eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (platform_display != nullptr) {
      display = platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    }
    if (display == EGL_NO_DISPLAY) display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    EGLint major = 0;
    EGLint minor = 0;
    if (display == EGL_NO_DISPLAY || !eglInitialize(display, &major, &minor)) {
      throw NoContext("EGL has no display");
    }
    const EGLint attributes[] = {EGL_RED_SIZE,     8, EGL_GREEN_SIZE,      8,
                                 EGL_BLUE_SIZE,    8, EGL_DEPTH_SIZE,      24,
                                 EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                                 EGL_NONE};
    EGLConfig config;
    EGLint count = 0;
    if (!eglChooseConfig(display, attributes, &config, 1, &count) || count < 1 ||
        !eglBindAPI(EGL_OPENGL_API)) {
      throw NoContext("EGL offers no OpenGL configuration");
    }
    context = eglCreateContext(display, config, EGL_NO_CONTEXT, nullptr);
    if (context == EGL_NO_CONTEXT) {
      throw NoContext("eglCreateContext failed");
    }
    MakeCurrent();
    // MuJoCo ends the process when it finds no usable OpenGL: ask first.
    using GetString = const unsigned char* (*)(unsigned int);
    auto get_string = reinterpret_cast<GetString>(eglGetProcAddress("glGetString"));
    constexpr unsigned int kGlVersion = 0x1F02;  // GL_VERSION
    if (get_string == nullptr || get_string(kGlVersion) == nullptr) {
      Release();
      throw NoContext("the EGL context has no OpenGL");
    }
  }
  ~Context() { Release(); }
  // Frees the context (the display stays: other renderers may use it).
  void Release() {
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(display, context);
  }
  // Makes the context this thread's.
  void MakeCurrent() const {
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
      throw NoContext("eglMakeCurrent failed");
    }
  }
};
#else
// No EGL in this build: every renderer fails.
struct Renderer::Context {
  Context() { throw NoContext("the module was built without EGL"); }
  void MakeCurrent() const {}
};
#endif

Renderer::Renderer(const mjModel* model, int width, int height) : width_(width), height_(height) {
  if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide) {
    throw std::invalid_argument("render: width and height must be in [1, " +
                                std::to_string(kMaxSide) + "]");
  }
  context_ = std::make_unique<Context>();
  model_.reset(mj_copyModel(nullptr, model));
  model_->vis.global.offwidth = std::max(model_->vis.global.offwidth, width);
  model_->vis.global.offheight = std::max(model_->vis.global.offheight, height);
  mjv_defaultCamera(&camera_);
  mjv_defaultOption(&option_);
  mjv_defaultScene(&scene_);
  mjr_defaultContext(&mjr_);
  mjv_makeScene(model_.get(), &scene_, kMaxSceneGeoms);
  mjr_makeContext(model_.get(), &mjr_, mjFONTSCALE_100);
  mjr_setBuffer(mjFB_OFFSCREEN, &mjr_);
  if (model_->nbody > 1) {
    camera_.type = mjCAMERA_TRACKING;
    camera_.trackbodyid = 1;
  }
  camera_.azimuth = 90;
  camera_.elevation = -20;
}

void Renderer::Frame(const mjData* data) {
  // The robot's radius: its farthest geom bound from the tracked body's
  // centre of mass (the floor and other world geoms left out).
  double radius = 0;
  const mjtNum* centre = data->subtree_com + 3;
  for (int g = 0; g < model_->ngeom && model_->nbody > 1; ++g) {
    if (model_->geom_bodyid[g] == 0) continue;
    const mjtNum* p = data->geom_xpos + 3 * g;
    const double d = std::sqrt((p[0] - centre[0]) * (p[0] - centre[0]) +
                               (p[1] - centre[1]) * (p[1] - centre[1]) +
                               (p[2] - centre[2]) * (p[2] - centre[2]));
    radius = std::max(radius, d + model_->geom_rbound[g]);
  }
  camera_.distance = std::max(kMinDistance, kDistanceInRadii * radius);
  framed_ = true;
}

Renderer::~Renderer() {
  context_->MakeCurrent();
  mjr_freeContext(&mjr_);
  mjv_freeScene(&scene_);
}

std::vector<unsigned char> Renderer::Render(const mjData* data) {
  if (!framed_) Frame(data);
  // MuJoCo's tracking camera moves a fifth of the way per picture: snap it.
  if (camera_.type == mjCAMERA_TRACKING) {
    std::copy_n(data->subtree_com + 3 * camera_.trackbodyid, 3, camera_.lookat);
  }
  context_->MakeCurrent();
  mjr_setBuffer(mjFB_OFFSCREEN, &mjr_);
  const mjrRect viewport{0, 0, width_, height_};
  mjv_updateScene(model_.get(), const_cast<mjData*>(data), &option_, nullptr, &camera_, mjCAT_ALL,
                  &scene_);
  mjr_render(viewport, &scene_, &mjr_);
  std::vector<unsigned char> bottom_up(static_cast<std::size_t>(width_) * height_ * 3);
  mjr_readPixels(bottom_up.data(), nullptr, viewport, &mjr_);
  std::vector<unsigned char> rgb(bottom_up.size());
  const std::size_t row = static_cast<std::size_t>(width_) * 3;
  for (int y = 0; y < height_; ++y) {
    std::copy_n(bottom_up.data() + (height_ - 1 - y) * row, row, rgb.data() + y * row);
  }
  return rgb;
}

}  // namespace mnemo::python
