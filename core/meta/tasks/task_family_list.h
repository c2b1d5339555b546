// The task families core implements (quadratic, MLP, blackbox, LQR). Programs use
// apps/lib/meta/task_family_list.h, which adds the locomotion family.
#pragma once

#include <vector>

#include "core/meta/tasks/task_family.h"

namespace mnemo {

// A registry of core's families alone (tests, programs without MuJoCo).
const TaskFamilyRegistry& CoreTaskFamilies();

// The entries, each defined next to its family.
TaskFamilyRegistry::Entry QuadraticFamilyEntry();
TaskFamilyRegistry::Entry MlpFamilyEntry();
TaskFamilyRegistry::Entry BlackboxFamilyEntry();
TaskFamilyRegistry::Entry LqrFamilyEntry();

}  // namespace mnemo
