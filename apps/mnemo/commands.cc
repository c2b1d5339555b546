#include "apps/mnemo/commands.h"

namespace mnemo {

void AddCommands(CLI::App& app) {
  AddListCommand(app);
}

}  // namespace mnemo
