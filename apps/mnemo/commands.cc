#include "apps/mnemo/commands.h"

namespace mnemo {

void AddCommands(CLI::App& app) {
  AddListCommand(app);
  AddRolloutBenchCommand(app);
}

}  // namespace mnemo
