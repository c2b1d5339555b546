#include "core/meta/tasks/task_family_list.h"

namespace mnemo {

std::vector<TaskFamilyRegistry::Entry> CoreTaskFamilyEntries() {
  return {QuadraticFamilyEntry(), MlpFamilyEntry(), BlackboxFamilyEntry()};
}

const TaskFamilyRegistry& CoreTaskFamilies() {
  static const TaskFamilyRegistry registry(CoreTaskFamilyEntries());
  return registry;
}

}  // namespace mnemo
