// `mnemo list`: what is registered (tasks with sizes, policies, search
// methods, updaters) and the shipped optimizer weights.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/mnemo/commands.h"
#include "core/es/strategy.h"
#include "core/optim/updater.h"
#include "core/optim/updater_list.h"
#include "envs/task.h"
#include "envs/task_list.h"
#include "policies/policy.h"
#include "policies/policy_list.h"

namespace mnemo {
namespace {

// Name and description of every entry of a registry, as JSON.
template <typename RegistryType>
nlohmann::json Describe(const RegistryType& registry) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : registry.Entries()) {
    out.push_back({{"name", e.name}, {"description", e.description}});
  }
  return out;
}

// Prints one section of name/description rows.
void PrintSection(const char* title, const nlohmann::json& entries) {
  std::printf("%s:\n", title);
  for (const auto& e : entries) {
    std::printf("  %-12s %s\n", e["name"].get<std::string>().c_str(),
                e["description"].get<std::string>().c_str());
  }
}

// Prints the registries as text or JSON.
void RunList(bool json) {
  nlohmann::json out;
  out["tasks"] = nlohmann::json::array();
  for (const auto& entry : Tasks().Entries()) {
    auto task = MakeTask(entry.name);
    out["tasks"].push_back({{"name", entry.name},
                            {"description", entry.description},
                            {"obs_dim", task->ObsDim()},
                            {"act_dim", task->ActDim()}});
  }
  out["policies"] = Describe(Policies());
  out["search_methods"] = nlohmann::json::array();
  for (const auto& [name, description] : SearchMethodDescriptions()) {
    out["search_methods"].push_back({{"name", name}, {"description", description}});
  }
  out["updaters"] = Describe(Updaters());
  out["weights"] = nlohmann::json::array();
  const std::string weights_dir = std::string(MNEMO_SOURCE_DIR) + "/configs/weights";
  if (std::filesystem::is_directory(weights_dir)) {
    for (const auto& f : std::filesystem::directory_iterator(weights_dir)) {
      if (f.path().extension() == ".md") continue;
      out["weights"].push_back({{"name", f.path().filename().string()},
                                {"path", "configs/weights/" + f.path().filename().string()}});
    }
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("tasks:\n");
  for (const auto& t : out["tasks"]) {
    std::printf("  %-12s obs %3d  act %2d  %s\n", t["name"].get<std::string>().c_str(),
                t["obs_dim"].get<int>(), t["act_dim"].get<int>(),
                t["description"].get<std::string>().c_str());
  }
  PrintSection("policies", out["policies"]);
  PrintSection("search methods", out["search_methods"]);
  PrintSection("updaters", out["updaters"]);
  std::printf("shipped weights:\n");
  if (out["weights"].empty()) std::printf("  (none yet)\n");
  for (const auto& w : out["weights"]) {
    std::printf("  %s\n", w["path"].get<std::string>().c_str());
  }
}

}  // namespace

void AddListCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("list", "List tasks, policies, search methods, updaters");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([json] { RunList(*json); });
}

}  // namespace mnemo
