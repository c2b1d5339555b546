// Every meta-training task family: core's (quadratic, MLP, blackbox, LQR) and the
// locomotion family, which needs MuJoCo.
#pragma once

#include "core/meta/tasks/task_family.h"

namespace mnemo {

// Every task family, by name.
const TaskFamilyRegistry& TaskFamilies();

// The locomotion family's entry (apps/lib/meta/locomotion_family.cc).
TaskFamilyRegistry::Entry LocomotionFamilyEntry();

}  // namespace mnemo
