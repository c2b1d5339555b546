#include "envs/task_family_list.h"

#include "core/meta/tasks/task_family_list.h"

namespace mnemo {

const TaskFamilyRegistry& TaskFamilies() {
  static const TaskFamilyRegistry registry = [] {
    std::vector<TaskFamilyRegistry::Entry> entries = CoreTaskFamilyEntries();
    entries.push_back(LocomotionFamilyEntry());
    return TaskFamilyRegistry(std::move(entries));
  }();
  return registry;
}

}  // namespace mnemo
