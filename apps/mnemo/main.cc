// mnemo: the command-line entry point (list, train, eval, rollout-bench, ...).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "apps/mnemo/commands.h"
#include "core/io/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Mnemosyne: blackbox policy search with a learned optimizer"};
  app.require_subcommand(1);
  mnemo::AddCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const mnemo::Error& e) {
    std::fprintf(stderr, "mnemo: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mnemo: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
