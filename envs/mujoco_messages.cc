#include "envs/mujoco_messages.h"

#include <mujoco/mujoco.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace mnemo {
namespace {

// MuJoCo warnings: simulation trouble the callers already detect and count.
void OnMujocoWarning(const char* message) { spdlog::debug("MuJoCo: {}", message); }

// A MuJoCo error cannot be recovered from (MuJoCo's state is undefined
// after it): report it and end the process.
[[noreturn]] void OnMujocoError(const char* message) {
  std::fprintf(stderr, "internal error: MuJoCo: %s\n", message);
  std::fflush(stderr);
  std::_Exit(1);
}

}  // namespace

void RouteMujocoMessages() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    mju_user_warning = OnMujocoWarning;
    mju_user_error = OnMujocoError;
  });
}

}  // namespace mnemo
