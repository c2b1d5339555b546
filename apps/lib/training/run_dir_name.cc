#include "apps/lib/training/run_dir_name.h"

#include <ctime>
#include <filesystem>

namespace mnemo {
namespace {

// The local time as "20261128-235959".
std::string Timestamp() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return stamp;
}

// The file name of `path` without folder and extension.
std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

}  // namespace

std::string DefaultTrainRunDir(const TrainConfig& config) {
  return "runs/" + Stem(config.source) + "-s" + std::to_string(config.seed) + "-" + Timestamp();
}

std::string DefaultMetaRunDir(const std::string& config_path) {
  return "runs/meta-" + Stem(config_path) + "-" + Timestamp();
}

}  // namespace mnemo
