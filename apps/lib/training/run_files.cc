#include "apps/lib/training/run_files.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/lib/training/train_config.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// The local time as "20261128-235959".
std::string Timestamp() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return stamp;
}

// The file name of `path` without folder and extension.
std::string Stem(const std::string& path) { return fs::path(path).stem().string(); }

// "<prefix><iteration, 6 digits>.json".
std::string NumberedName(const char* prefix, int iteration) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%06d.json", prefix, iteration);
  return name;
}

// The first line of sessions.csv.
constexpr const char* kSessionsHeader = "started_utc,iteration,episodes,threads";

// `<run_dir>/sessions.csv`.
std::string SessionsPath(const std::string& run_dir) { return run_dir + "/sessions.csv"; }

}  // namespace

std::string DefaultTrainRunDir(const TrainConfig& config) {
  return "runs/" + Stem(config.source) + "-s" + std::to_string(config.seed) + "-" + Timestamp();
}

std::string DefaultMetaRunDir(const std::string& config_path) {
  return "runs/meta-" + Stem(config_path) + "-" + Timestamp();
}

std::string CheckpointFileName(int iteration) { return NumberedName("policy_", iteration); }

std::string SnapshotFileName(int iteration) { return NumberedName("optimizer_", iteration); }

std::vector<int> NumberedFiles(const std::string& dir, const std::string& prefix) {
  const std::string suffix = ".json";
  std::vector<int> out;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix)) {
      continue;
    }
    const std::string digits =
        name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      continue;
    }
    out.push_back(std::stoi(digits));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string CopyIntoRunFolder(const std::string& source, const std::string& run_dir,
                              const std::string& name) {
  WriteFileAtomically(run_dir + "/" + name, ReadTextFile(source));
  return name;
}

void AppendRunSession(const std::string& run_dir, const RunSession& session) {
  const RegularFile out = RegularFile::OpenToAppend(SessionsPath(run_dir), true, false);
  std::ostringstream row;
  if (out.Size() == 0) row << kSessionsHeader << '\n';
  row << session.started_utc << ',' << session.iteration << ',' << session.episodes << ','
      << session.threads << '\n';
  out.Append(row.str());
}

void ClearRunSessions(const std::string& run_dir) {
  // Removes a link itself, never what it points to.
  std::error_code error;
  fs::remove(SessionsPath(run_dir), error);
  if (error) throw Error({SessionsPath(run_dir), 0, ""}, "cannot remove: " + error.message());
}

std::vector<RunSession> ReadRunSessions(const std::string& run_dir) {
  const std::string path = SessionsPath(run_dir);
  std::vector<RunSession> sessions;
  if (!EntryExists(path)) return sessions;
  std::istringstream in(ReadTextFile(path, Links::kRefuse));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != kSessionsHeader)
        throw Error({path, number, ""}, "expected the header " + std::string(kSessionsHeader));
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

void WriteUpdaterSnapshot(const UpdaterView& view, int iteration, const std::string& dir) {
  CreateFolderInside(dir);
  nlohmann::json j;
  j["iteration"] = iteration;
  j["kind"] = view.kind;
  j["discounts"] = view.discounts;
  j["tensor_names"] = view.tensor_names;
  j["tensor_step_norms"] = view.tensor_step_norms;
  j["panels"] = nlohmann::json::array();
  for (const auto& p : view.panels) {
    std::vector<double> values(p.values.size());
    // Row-major for readability.
    for (Eigen::Index r = 0; r < p.values.rows(); ++r) {
      for (Eigen::Index c = 0; c < p.values.cols(); ++c) {
        values[r * p.values.cols() + c] = p.values(r, c);
      }
    }
    j["panels"].push_back({{"name", p.name},
                           {"rows", p.values.rows()},
                           {"cols", p.values.cols()},
                           {"values", values}});
  }
  WriteFileAtomically(dir + "/" + SnapshotFileName(iteration), j.dump() + "\n");
}

UpdaterView ReadUpdaterSnapshot(const std::string& path) {
  const std::string text = ReadTextFile(path, Links::kRefuse);
  UpdaterView view;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    view.kind = j.at("kind").get<std::string>();
    view.discounts = j.at("discounts").get<std::vector<double>>();
    view.tensor_names = j.at("tensor_names").get<std::vector<std::string>>();
    view.tensor_step_norms = j.at("tensor_step_norms").get<std::vector<double>>();
    for (const auto& p : j.at("panels")) {
      UpdaterPanel panel;
      panel.name = p.at("name").get<std::string>();
      const int rows = p.at("rows").get<int>();
      const int cols = p.at("cols").get<int>();
      const auto values = p.at("values").get<std::vector<double>>();
      if (rows < 0 || cols < 0 ||
          static_cast<std::int64_t>(values.size()) != std::int64_t{rows} * cols) {
        throw Error({path, 0, panel.name}, "panel size does not match its values");
      }
      panel.values.resize(rows, cols);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) panel.values(r, c) = values[r * cols + c];
      }
      view.panels.push_back(std::move(panel));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error({path, 0, ""}, std::string("malformed optimizer snapshot: ") + e.what());
  }
  return view;
}

std::vector<int> ListUpdaterSnapshots(const std::string& dir) {
  return NumberedFiles(dir, "optimizer_");
}

std::string RunDirOfPolicy(const std::string& policy_path) {
  const fs::path folder = fs::absolute(policy_path).parent_path();
  for (const fs::path& dir : {folder, folder.parent_path()}) {
    // Anything there, a link loop included: reading it says what is wrong.
    if (EntryExists((dir / "config.yaml").string())) return dir.string();
  }
  return "";
}

TaskOptions TaskOptionsOfPolicy(const std::string& policy_path, const std::string& task,
                                std::string* config_used) {
  if (config_used != nullptr) config_used->clear();
  const std::string run_dir = RunDirOfPolicy(policy_path);
  if (run_dir.empty()) return TaskOptions();
  const std::string config = run_dir + "/config.yaml";
  try {
    const TrainConfig run = LoadTrainConfig(config);
    if (run.task != task) {
      spdlog::warn("{} trains {}, not the policy's {}; using the default task options", config,
                   run.task, task);
      return TaskOptions();
    }
    if (config_used != nullptr) *config_used = config;
    return run.task_options;
  } catch (const Error& e) {
    // A broken run config is no reason not to use the policy.
    spdlog::warn("{}; using the default task options", e.what());
    return TaskOptions();
  }
}

}  // namespace mnemo
