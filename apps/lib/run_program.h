// The shared ending of every program's main(): parse the command line, run,
// and turn what went wrong into the project's exit codes.
#pragma once

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <string>

#include "core/util/error.h"

namespace mnemo {

// Parses argv with `app` (whose subcommand callbacks may do the work), then
// calls `body` and returns its exit code. --help and --version exit 0; a bad
// command line, a mnemo::Error or a failure of the environment (a file
// system error such as a read-only folder or a full disk, memory exhausted)
// prints one line "PROGRAM: error: ..." and exits 2; any other exception is
// a bug, printed as "PROGRAM: internal error: ..." with exit 1. Every message
// is folded onto one line. Log lines go to stderr, so that stdout holds only
// results (e.g. `--json`).
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
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "%s: error: %s\n", program, OneLine(e.what()).c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: out of memory\n", program);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", program, OneLine(e.what()).c_str());
    return 1;
  }
}

}  // namespace mnemo
