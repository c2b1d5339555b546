#include "apps/mnemo/commands.h"

namespace mnemo {

void AddCommands(CLI::App& app) {
  AddListCommand(app);
  AddRolloutBenchCommand(app);
  AddTrainCommand(app);
  AddEvalCommand(app);
  AddMetaTrainCommand(app);
  AddMetaEvalCommand(app);
  AddBenchCommand(app);
}

}  // namespace mnemo
