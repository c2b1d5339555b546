#include "apps/lib/meta/task_family_list.h"

#include "core/meta/tasks/task_family_list.h"

namespace mnemo {

const TaskFamilyRegistry& TaskFamilies() {
  static const TaskFamilyRegistry registry = CoreTaskFamilies().With({LocomotionFamilyEntry()});
  return registry;
}

}  // namespace mnemo
