#include "core/meta/tasks/task_family_list.h"

namespace mnemo {

const TaskFamilyRegistry& CoreTaskFamilies() {
  static const TaskFamilyRegistry registry(
      {QuadraticFamilyEntry(), MlpFamilyEntry(), BlackboxFamilyEntry(), LqrFamilyEntry()});
  return registry;
}

}  // namespace mnemo
