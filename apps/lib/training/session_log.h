// The session log of a run folder (sessions.csv): one row each time a run
// is started or resumed, with the rollout threads it ran with, so that wall
// times of runs resumed on other machines or thread counts can be read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mnemo {

// One session of a run: when and where in the run it began, and its threads.
struct RunSession {
  std::string started_utc;    // "2026-11-29T08:44:43Z"
  int iteration = 0;          // iterations done before it
  std::int64_t episodes = 0;  // training episodes done before it
  int threads = 0;            // rollout threads
};

// Appends `session` to `<run_dir>/sessions.csv` (the header first when the
// file is new).
void AppendRunSession(const std::string& run_dir, const RunSession& session);

// Deletes `<run_dir>/sessions.csv` (a run started afresh in a folder that held
// a run killed before it wrote state.bin).
void ClearRunSessions(const std::string& run_dir);

// The sessions recorded in `<run_dir>/sessions.csv`, oldest first; empty when
// the file does not exist (runs made before the log). A malformed row is an
// Error naming the file and line.
std::vector<RunSession> ReadRunSessions(const std::string& run_dir);

// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNow();

}  // namespace mnemo
