// The viewer's window: GLFW, an OpenGL context and Dear ImGui on top of it.
#pragma once

#include <string>

struct GLFWwindow;

namespace mnemo {

// Opens a window with a current OpenGL context and sets up ImGui's GLFW and
// OpenGL3 backends; closes everything in reverse on destruction. Not
// copyable. Only one may exist at a time (GLFW and ImGui are process-wide).
class ViewerWindow {
 public:
  // A `width` x `height` window titled `title`; `visible` false hides it
  // (for screenshots). An Error when there is no display or no OpenGL,
  // with a hint to use xvfb-run.
  ViewerWindow(const std::string& title, int width, int height, bool visible);
  ~ViewerWindow();
  ViewerWindow(const ViewerWindow&) = delete;
  ViewerWindow& operator=(const ViewerWindow&) = delete;

  // Throws the same Error as the constructor when no window can be opened
  // because there is no display (call it before starting costly work).
  static void RequireDisplay();

  // Whether the user asked to close the window.
  bool ShouldClose() const;
  // Processes pending events (input, resize, close).
  void PollEvents();
  // Starts an ImGui frame.
  void BeginFrame();
  // Draws the ImGui frame over what OpenGL has drawn so far.
  void RenderImGui();
  // Shows the frame.
  void SwapBuffers();
  // Window size in screen coordinates (what ImGui lays out in).
  void WindowSize(int* width, int* height) const;
  // Framebuffer size in pixels (what OpenGL draws into).
  void FramebufferSize(int* width, int* height) const;
  // Turns waiting for the display's refresh on or off.
  void SetVsync(bool on);
  // Takes the window off the screen (it stays usable until destroyed).
  void Hide();

 private:
  // Shuts ImGui's backends and GLFW down (safe to call more than once).
  void Close();

  GLFWwindow* window_ = nullptr;
  bool imgui_glfw_ = false;    // GLFW backend initialised
  bool imgui_opengl_ = false;  // OpenGL3 backend initialised
};

}  // namespace mnemo
