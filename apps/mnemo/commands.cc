#include "apps/mnemo/commands.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "apps/lib/run_program.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The commands that run as one process.
constexpr std::array<const char*, 4> kAlone = {"list", "rollout-bench", "eval", "meta-eval"};

// The command `app` parsed as far as it decides what the ranks do together:
// its subcommand, and whether it resumes ("train --resume"). The rest of
// the command line (the config, --set, --out) the ranks compare once the
// config is resolved, key by key (AgreeOnFacts).
std::string ParsedCommand(const CLI::App& app) {
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  if (chosen.empty()) return "";
  std::string command = chosen.front()->get_name();
  const CLI::Option* resume = std::as_const(*chosen.front()).get_option_no_throw("--resume");
  if (resume != nullptr && resume->count() > 0) command += " --resume";
  return command;
}

// The ranks of `world` agree, before any command runs, that they all run the
// same one, and that it is one that can share its work over them.
void AgreeOnCommand(const CLI::App& app, const std::shared_ptr<RankGroup>& world) {
  if (world->Size() == 1) return;
  const CommandLineVerdict verdict = AgreeOnCommandLine(*world, "=" + ParsedCommand(app));
  if (!verdict.agreed) throw SharedError(verdict.line);
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  const std::string name = chosen.empty() ? "" : chosen.front()->get_name();
  if (std::find(kAlone.begin(), kAlone.end(), name) != kAlone.end()) {
    throw SharedError("mnemo " + name +
                      " runs as one process; start it without mpirun (train, meta-train and "
                      "bench share their work over MPI ranks)");
  }
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
  // Before any subcommand's callback.
  app.parse_complete_callback([&app, world] { AgreeOnCommand(app, world); });
}

}  // namespace mnemo
