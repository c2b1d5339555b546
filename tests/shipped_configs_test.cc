// Every shipped training and meta-training config loads and builds what it
// describes, so a renamed key cannot break README's or the docs' commands
// unnoticed. (The bench files have their own test in bench_test.cc.)
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "apps/lib/meta/task_family_list.h"
#include "apps/lib/training/train_config.h"
#include "core/es/strategy.h"
#include "core/meta/outer/meta_config.h"
#include "core/meta/outer/meta_eval.h"
#include "core/optim/updater.h"
#include "envs/task.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// The .yaml files of configs/<folder>, by name.
std::set<std::string> ShippedFiles(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(std::string(MNEMO_SOURCE_DIR) + "/" + folder)) {
    if (entry.path().extension() == ".yaml") names.insert(entry.path().string());
  }
  return names;
}

TEST_CASE("every configs/train file builds its task and search") {
  const std::set<std::string> files = ShippedFiles("configs/train");
  CHECK(files.count(DefaultTrainConfigPath()) == 1);  // README's `mnemo train`
  for (const std::string& file : files) {
    INFO(file);
    const TrainConfig config = LoadTrainConfig(file);
    const auto task = MakeTask(config.task, config.task_options);
    CHECK(task->ObsDim() > 0);
    auto strategy = MakeStrategy(config.search, config.optimizer);
    const int dim = task->ObsDim() * task->ActDim();
    strategy->Reset(ParamLayout::Flat(dim), Vec::Zero(dim));
    CHECK(!strategy->Name().empty());
    CHECK((config.max_episodes > 0 || config.max_iterations > 0));
  }
}

TEST_CASE("every configs/meta file loads, with its learned updater and start weights") {
  const std::set<std::string> files = ShippedFiles("configs/meta");
  REQUIRE(files.size() >= 2);
  for (const std::string& file : files) {
    INFO(file);
    if (fs::path(file).filename().string().starts_with("meta_eval")) {
      CHECK_NOTHROW(LoadMetaEvalConfig(file, TaskFamilies()));
      continue;
    }
    const MetaConfig config = LoadMetaConfig(file, TaskFamilies());
    CHECK(MakeLearnedUpdater(config.optimizer) != nullptr);
    if (!config.init_from.empty()) CHECK(fs::exists(config.init_from));
  }
}

}  // namespace
}  // namespace mnemo
