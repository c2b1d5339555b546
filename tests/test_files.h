// Files, folders and shell commands for tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace mnemo::testing {

// A fresh, empty temporary folder named after `name` and this process (so
// tests run in parallel by ctest never share one).
inline std::string TempDir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("mnemo_test_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// The whole content of a file ("" when it cannot be read).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` in a shell; returns its exit code (-1 if it did not exit).
inline int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs the mnemo binary (of this build) with `args`, its output in files of
// `dir`; returns its exit code and its stderr.
inline std::pair<int, std::string> RunMnemo(const std::string& args, const std::string& dir) {
  const std::string cmd = std::string(MNEMO_BINARY_DIR) + "/mnemo " + args + " > " + dir +
                          "/out.txt 2> " + dir + "/err.txt";
  const int code = Shell(cmd);
  return {code, Slurp(dir + "/err.txt")};
}

}  // namespace mnemo::testing
