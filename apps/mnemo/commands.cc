#include "apps/mnemo/commands.h"

#include "core/util/error.h"

namespace mnemo {
namespace {

// Makes `command` refuse to run as one of several ranks of an MPI job.
void RunAlone(CLI::App* command, const std::shared_ptr<RankGroup>& world) {
  command->preparse_callback([command, world](std::size_t) {
    if (world->Size() > 1) {
      throw SharedError("mnemo " + command->get_name() +
                        " runs as one process; start it without mpirun (train, meta-train and "
                        "bench share their work over MPI ranks)");
    }
  });
}

}  // namespace

void AddCommands(CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  AddListCommand(app);
  AddRolloutBenchCommand(app);
  AddTrainCommand(app, world);
  AddEvalCommand(app);
  AddMetaTrainCommand(app, world);
  AddMetaEvalCommand(app);
  AddBenchCommand(app, world);
  for (const char* alone : {"list", "rollout-bench", "eval", "meta-eval"}) {
    RunAlone(app.get_subcommand(alone), world);
  }
}

}  // namespace mnemo
