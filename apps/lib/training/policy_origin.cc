#include "apps/lib/training/policy_origin.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "apps/lib/training/train_config.h"
#include "core/util/error.h"

namespace mnemo {

namespace fs = std::filesystem;

std::string RunDirOfPolicy(const std::string& policy_path) {
  const fs::path folder = fs::absolute(policy_path).parent_path();
  for (const fs::path& dir : {folder, folder.parent_path()}) {
    if (fs::exists(dir / "config.yaml")) return dir.string();
  }
  return "";
}

TaskOptions TaskOptionsOfPolicy(const std::string& policy_path, const std::string& task,
                                std::string* config_used) {
  if (config_used != nullptr) config_used->clear();
  const std::string run_dir = RunDirOfPolicy(policy_path);
  if (run_dir.empty()) return TaskOptions();
  const std::string config = run_dir + "/config.yaml";
  try {
    const TrainConfig run = LoadTrainConfig(config);
    if (run.task != task) {
      spdlog::warn("{} trains {}, not the policy's {}; using the default task options", config,
                   run.task, task);
      return TaskOptions();
    }
    if (config_used != nullptr) *config_used = config;
    return run.task_options;
  } catch (const Error& e) {
    // A broken run config is no reason not to use the policy.
    spdlog::warn("{}; using the default task options", e.what());
    return TaskOptions();
  }
}

}  // namespace mnemo
