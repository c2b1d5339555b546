#include "apps/lib/training/session_log.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.h"

namespace mnemo {
namespace {

// The first line of sessions.csv.
constexpr const char* kHeader = "started_utc,iteration,episodes,threads";

// `<run_dir>/sessions.csv`.
std::string SessionsPath(const std::string& run_dir) { return run_dir + "/sessions.csv"; }

}  // namespace

void AppendRunSession(const std::string& run_dir, const RunSession& session) {
  const std::string path = SessionsPath(run_dir);
  const bool is_new = !std::filesystem::exists(path);
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out) throw Error({path, 0, ""}, "cannot open file for appending");
  if (is_new) out << kHeader << '\n';
  out << session.started_utc << ',' << session.iteration << ',' << session.episodes << ','
      << session.threads << '\n';
  out.flush();
  if (!out) throw Error({path, 0, ""}, "cannot write the file");
}

void ClearRunSessions(const std::string& run_dir) {
  std::filesystem::remove(SessionsPath(run_dir));
}

std::vector<RunSession> ReadRunSessions(const std::string& run_dir) {
  const std::string path = SessionsPath(run_dir);
  std::vector<RunSession> sessions;
  std::ifstream in(path, std::ios::binary);
  if (!in) return sessions;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != kHeader)
        throw Error({path, number, ""}, "expected the header " + std::string(kHeader));
      continue;
    }
    if (line.empty()) continue;
    std::istringstream fields(line);
    RunSession s;
    std::string iteration, episodes, threads;
    if (!std::getline(fields, s.started_utc, ',') || !std::getline(fields, iteration, ',') ||
        !std::getline(fields, episodes, ',') || !std::getline(fields, threads)) {
      throw Error({path, number, ""}, "expected 4 comma-separated fields");
    }
    try {
      std::size_t used = 0;
      s.iteration = std::stoi(iteration, &used);
      if (used != iteration.size()) throw std::invalid_argument(iteration);
      s.episodes = std::stoll(episodes, &used);
      if (used != episodes.size()) throw std::invalid_argument(episodes);
      s.threads = std::stoi(threads, &used);
      if (used != threads.size()) throw std::invalid_argument(threads);
    } catch (const std::logic_error&) {
      throw Error({path, number, ""}, "iteration, episodes and threads must be integers");
    }
    sessions.push_back(s);
  }
  return sessions;
}

std::string UtcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace mnemo
