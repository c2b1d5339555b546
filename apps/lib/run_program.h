// The shared ending of every program's main(): parse the command line, run,
// and turn what went wrong into the project's exit codes.
#pragma once

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "core/util/error.h"

namespace mnemo {

// Parses argv with `app` (whose subcommand callbacks may do the work), then
// calls `body` and returns its exit code. --help and --version exit 0; a bad
// command line or a mnemo::Error prints one line "PROGRAM: error: ..." and
// exits 2; any other exception is an internal failure and exits 1. Log lines
// go to stderr, so that stdout holds only results (e.g. `--json`).
inline int RunProgram(CLI::App& app, int argc, char** argv, const char* program,
                      const std::function<int()>& body) {
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  app.failure_message([program](const CLI::App*, const CLI::Error& e) {
    return std::string(program) + ": error: " + e.what() + " (see --help)\n";
  });
  try {
    app.parse(argc, argv);
    return body();
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", program, e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", program, e.what());
    return 1;
  }
}

}  // namespace mnemo
