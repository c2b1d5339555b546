// Where MuJoCo's own messages go. By default MuJoCo prints every warning to
// stdout and appends it to MUJOCO_LOG.TXT in the working directory, and on a
// fatal error waits for Enter before exiting. This project counts unstable
// episodes itself (RolloutEngine warns once), so MuJoCo's warnings go to the
// debug log, and a fatal MuJoCo error ends the process as an internal
// failure (exit code 1) with one line on stderr.
#pragma once

namespace mnemo {

// Installs the handlers (once per process; later calls do nothing).
void RouteMujocoMessages();

}  // namespace mnemo
