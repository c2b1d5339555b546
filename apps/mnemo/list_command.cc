// `mnemo list`: what is registered (tasks with sizes, policies, ...).
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/mnemo/commands.h"
#include "envs/task.h"

namespace mnemo {
namespace {

// Prints the registries as text or JSON.
void RunList(bool json) {
  nlohmann::json out;
  out["tasks"] = nlohmann::json::array();
  for (const auto& entry : TaskRegistry::Instance().Entries()) {
    auto task = MakeTask(entry.name);
    out["tasks"].push_back({{"name", entry.name},
                            {"description", entry.description},
                            {"obs_dim", task->ObsDim()},
                            {"act_dim", task->ActDim()}});
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "tasks:\n";
  for (const auto& t : out["tasks"]) {
    std::printf("  %-12s obs %3d  act %2d  %s\n", t["name"].get<std::string>().c_str(),
                t["obs_dim"].get<int>(), t["act_dim"].get<int>(),
                t["description"].get<std::string>().c_str());
  }
}

}  // namespace

void AddListCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("list", "List tasks, policies, estimators, updaters");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([json] { RunList(*json); });
}

}  // namespace mnemo
