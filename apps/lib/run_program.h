// The shared ending of every program's main(): parse the command line, run,
// and turn what went wrong into the project's exit codes.
#pragma once

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "core/parallel/mpi_job.h"
#include "core/util/error.h"

namespace mnemo {

// What the ranks of an MPI job made of their command lines (see
// AgreeOnCommandLine).
struct CommandLineVerdict {
  bool agreed = true;         // every rank parsed the same command
  bool failed_alike = false;  // every rank failed to parse with the same error
  std::string line;           // otherwise the error every rank reports
};

// The first collective of an MPI job of several ranks, which every rank
// reaches whether its command line parsed or not (so that none waits for a
// rank that has ended): `mine` is "=" and the command ("train config --out")
// when it parsed, "!" and the error when it did not. Every rank gets the same
// verdict: the error of the lowest rank that failed (named unless all failed
// alike), or else the first rank whose command is not rank 0's.
inline CommandLineVerdict AgreeOnCommandLine(RankGroup& ranks, const std::string& mine) {
  const std::vector<std::string> all = ranks.AllGather(mine);
  CommandLineVerdict verdict;
  for (int r = 0; r < static_cast<int>(all.size()); ++r) {
    if (all[r].starts_with("=")) continue;
    verdict.agreed = false;
    verdict.failed_alike =
        std::all_of(all.begin(), all.end(), [&](const std::string& one) { return one == all[r]; });
    verdict.line = "rank " + std::to_string(r) + ": " + all[r].substr(1);
    return verdict;
  }
  for (int r = 1; r < static_cast<int>(all.size()); ++r) {
    if (all[r] == all[0]) continue;
    verdict.agreed = false;
    verdict.line = "rank " + std::to_string(r) + " runs `mnemo " + all[r].substr(1) +
                   "`, rank 0 runs `mnemo " + all[0].substr(1) +
                   "`; every rank of an MPI job must run the same command";
    return verdict;
  }
  return verdict;
}

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
// for it forever. A command line that fails to parse on some ranks only
// takes part in the job's first collective (AgreeOnCommandLine, which the
// ranks that parsed call before running anything), so that every rank
// ends with the same one line.
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
    if (several) {
      // The other ranks wait in the first collective: tell them (--help
      // counts as a command).
      const bool help = e.get_exit_code() == 0;
      const CommandLineVerdict verdict =
          AgreeOnCommandLine(*job->World(), help ? "=--help" : "!" + std::string(e.what()));
      if (!verdict.agreed && !verdict.failed_alike) {
        if (leader)
          std::fprintf(stderr, "%s: error: %s (see --help)\n", program, verdict.line.c_str());
        return 2;
      }
    }
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
