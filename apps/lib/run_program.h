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

#include "core/parallel/mpi_job.h"
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
//
// In an MPI job (`job` with several ranks) a bad command line or an error
// every rank saw alike (SharedError) is printed by rank 0 only, and every
// rank exits with its code; an error of one rank alone is printed with its
// rank and ends the whole job at once (MPI_Abort), so that no rank waits
// for it forever.
inline int RunProgram(CLI::App& app, int argc, char** argv, const char* program,
                      const std::function<int()>& body, const MpiJob* job = nullptr) {
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  const RankGroup* ranks = job != nullptr ? job->World().get() : nullptr;
  const bool several = ranks != nullptr && ranks->Size() > 1;
  const bool leader = ranks == nullptr || ranks->IsLeader();
  app.failure_message([program, leader](const CLI::App*, const CLI::Error& e) {
    return leader ? std::string(program) + ": error: " + e.what() + " (see --help)\n" : "";
  });
  // Prints an error line (with the rank when only this rank saw it) and
  // gives the exit code, ending the job when other ranks would wait.
  const auto fail = [&](const char* kind, const std::string& what, bool shared, int code) {
    if (!several) {
      std::fprintf(stderr, "%s: %s: %s\n", program, kind, what.c_str());
      return code;
    }
    if (shared) {
      if (leader) std::fprintf(stderr, "%s: %s: %s\n", program, kind, what.c_str());
      return code;
    }
    std::fprintf(stderr, "%s: %s: rank %d: %s\n", program, kind, ranks->Rank(), what.c_str());
    std::fflush(stderr);
    job->Abort(code);
    return code;
  };
  try {
    if (job != nullptr) job->CheckUsable();
    app.parse(argc, argv);
    return body();
  } catch (const CLI::ParseError& e) {
    const int code = leader ? app.exit(e) : e.get_exit_code();
    return code == 0 ? 0 : 2;
  } catch (const SharedError& e) {
    return fail("error", e.what(), true, 2);
  } catch (const Error& e) {
    return fail("error", e.what(), false, 2);
  } catch (const std::filesystem::filesystem_error& e) {
    return fail("error", OneLine(e.what()), false, 2);
  } catch (const std::bad_alloc&) {
    return fail("error", "out of memory", false, 2);
  } catch (const std::exception& e) {
    return fail("internal error", OneLine(e.what()), false, 1);
  }
}

}  // namespace mnemo
