// mnemo: the command-line entry point (list, train, eval, rollout-bench, ...).
#include <CLI/CLI.hpp>

#include "apps/lib/run_program.h"
#include "apps/mnemo/commands.h"
#include "core/parallel/mpi_job.h"

int main(int argc, char** argv) {
  // One rank of an MPI job when mpirun (or srun) started it; else alone.
  const mnemo::MpiJob job(&argc, &argv);
  CLI::App app{"Mnemosyne: blackbox policy search with a learned optimizer"};
  app.require_subcommand(1);
  mnemo::AddCommands(app, job.World());
  return mnemo::RunProgram(
      app, argc, argv, "mnemo", [] { return 0; }, &job);
}
