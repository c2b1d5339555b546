#include "apps/view/viewer_window.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "core/util/error.h"

namespace mnemo {
namespace {

// GLSL version string for ImGui's OpenGL3 backend (OpenGL 3.0 and later,
// compatibility contexts included, which MuJoCo's renderer needs).
constexpr const char* kGlslVersion = "#version 130";

// GLFW's description of its last error ("" if none).
std::string GlfwError() {
  const char* description = nullptr;
  glfwGetError(&description);
  return description ? description : "";
}

// The one-line message for a machine where no window can be opened.
std::string NoDisplayMessage(const std::string& what, const std::string& detail) {
  return what + (detail.empty() ? "" : " (" + detail + ")") +
         ". No display? Run it under a virtual one: `xvfb-run -a mnemo-view "
         "...`, or "
         "`xvfb-run -a -s \"-screen 0 1280x800x24\" mnemo-view ... "
         "--screenshot out.png "
         "--frames 60` for a picture";
}

}  // namespace

void ViewerWindow::RequireDisplay() {
  if (glfwInit() != GLFW_TRUE) {
    throw Error(NoDisplayMessage("cannot start GLFW", GlfwError()));
  }
}

ViewerWindow::ViewerWindow(const std::string& title, int width, int height, bool visible) {
  RequireDisplay();
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, 4);
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window_) {
    // Some software renderers refuse multisampling: try once without.
    glfwWindowHint(GLFW_SAMPLES, 0);
    window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  }
  if (!window_) {
    const std::string detail = GlfwError();
    glfwTerminate();
    throw Error(NoDisplayMessage("cannot open an OpenGL window", detail));
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed: nothing to remember
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 0;
  imgui_glfw_ = ImGui_ImplGlfw_InitForOpenGL(window_, true);
  imgui_opengl_ = imgui_glfw_ && ImGui_ImplOpenGL3_Init(kGlslVersion);
  if (!imgui_opengl_) {
    Close();
    throw Error(NoDisplayMessage("cannot set up ImGui on this OpenGL context", ""));
  }
}

ViewerWindow::~ViewerWindow() { Close(); }

void ViewerWindow::Close() {
  if (imgui_opengl_) ImGui_ImplOpenGL3_Shutdown();
  if (imgui_glfw_) ImGui_ImplGlfw_Shutdown();
  imgui_opengl_ = imgui_glfw_ = false;
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  if (window_) glfwDestroyWindow(window_);
  window_ = nullptr;
  glfwTerminate();
}

bool ViewerWindow::ShouldClose() const { return glfwWindowShouldClose(window_); }

void ViewerWindow::PollEvents() { glfwPollEvents(); }

void ViewerWindow::BeginFrame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void ViewerWindow::RenderImGui() {
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void ViewerWindow::SwapBuffers() { glfwSwapBuffers(window_); }

void ViewerWindow::WindowSize(int* width, int* height) const {
  glfwGetWindowSize(window_, width, height);
}

void ViewerWindow::FramebufferSize(int* width, int* height) const {
  glfwGetFramebufferSize(window_, width, height);
}

void ViewerWindow::SetVsync(bool on) { glfwSwapInterval(on ? 1 : 0); }

void ViewerWindow::Hide() {
  glfwHideWindow(window_);
  glfwPollEvents();
}

}  // namespace mnemo
