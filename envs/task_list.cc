#include "envs/task_list.h"

namespace mnemo {

const TaskRegistry& Tasks() {
  static const TaskRegistry registry({SwimmerEntry(), HopperEntry(), HalfCheetahEntry(),
                                      Walker2dEntry(), AntEntry(), HumanoidEntry()});
  return registry;
}

}  // namespace mnemo
