// mnemo: the command-line entry point (list, train, eval, rollout-bench, ...).
#include <CLI/CLI.hpp>

#include "apps/lib/run_program.h"
#include "apps/mnemo/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Mnemosyne: blackbox policy search with a learned optimizer"};
  app.require_subcommand(1);
  mnemo::AddCommands(app);
  return mnemo::RunProgram(app, argc, argv, "mnemo", [] { return 0; });
}
