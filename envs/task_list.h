// The list of locomotion tasks: a new task is one file and one line here.
#pragma once

#include "envs/task.h"

namespace mnemo {

// Every task, by name.
const TaskRegistry& Tasks();

// The entries, each defined next to its task.
TaskRegistry::Entry SwimmerEntry();
TaskRegistry::Entry HopperEntry();
TaskRegistry::Entry HalfCheetahEntry();
TaskRegistry::Entry Walker2dEntry();
TaskRegistry::Entry AntEntry();
TaskRegistry::Entry HumanoidEntry();

}  // namespace mnemo
