#include "apps/view/run_browser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "apps/lib/training/run_files.h"
#include "core/es/strategy.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Splits one CSV line (no quoting in metrics.csv).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// A CSV cell as a number; empty or malformed cells are NaN.
double Cell(const std::string& text) {
  if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end == text.c_str() ? std::numeric_limits<double>::quiet_NaN() : v;
}

}  // namespace

RunBrowser::RunBrowser(std::string dir) : dir_(std::move(dir)) {
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  const std::string config = dir_ + "/config.yaml";
  if (!fs::is_directory(dir_)) throw Error({dir_, 0, ""}, "no such run folder");
  if (!fs::exists(config)) {
    throw Error({dir_, 0, ""},
                "not a run folder (no config.yaml); give a run folder of `mnemo train` "
                "or a policy file");
  }
  config_ = LoadTrainConfig(config);
  // What a resume would rebuild first, the learned optimizer's weights
  // included: the browser shows the run's policies either way, but says so.
  try {
    MakeStrategy(config_.search, config_.optimizer);
  } catch (const Error& e) {
    search_problem_ =
        std::string("the run's search cannot be rebuilt, so it will not resume: ") + e.what();
  }
  Refresh();
}

std::vector<std::string> RunBrowser::Problems() const {
  std::vector<std::string> problems;
  for (const std::string* p : {&search_problem_, &metrics_problem_}) {
    if (!p->empty()) problems.push_back(*p);
  }
  return problems;
}

void RunBrowser::Refresh() {
  checkpoints_ = NumberedFiles(dir_ + "/checkpoints", "policy_");
  ReadMetrics();
}

void RunBrowser::ReadMetrics() {
  const std::string path = dir_ + "/metrics.csv";
  std::error_code ec;
  const std::uintmax_t bytes = fs::file_size(path, ec);
  if (ec || bytes == metrics_bytes_) return;
  std::ifstream in(path);
  if (!in) return;
  metrics_bytes_ = bytes;
  curve_ = LearningCurve();
  metrics_problem_.clear();
  std::string line;
  if (!std::getline(in, line)) return;
  const std::vector<std::string> header = SplitCsv(line);
  // Column index of `name` (-1 if missing).
  auto column = [&header](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int c_it = column("iteration");
  if (c_it < 0) {
    metrics_problem_ = path + ": no iteration column in its header; learning curve not shown";
    return;
  }
  const int c_ep = column("episodes");
  const int c_train = column("train_return_mean");
  const int c_eval = column("eval_return_mean");
  auto value = [](const std::vector<std::string>& cells, int c) {
    return c < 0 ? std::numeric_limits<double>::quiet_NaN() : Cell(cells[c]);
  };
  int line_number = 1;
  int damaged = 0;
  int first_damaged = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (in.eof()) break;  // the last line has no newline yet: being written
    const std::vector<std::string> cells = SplitCsv(line);
    if (cells.size() != header.size() || std::isnan(value(cells, c_it))) {
      if (damaged++ == 0) first_damaged = line_number;
      continue;
    }
    curve_.iteration.push_back(value(cells, c_it));
    curve_.episodes.push_back(value(cells, c_ep));
    curve_.train_return_mean.push_back(value(cells, c_train));
    curve_.eval_return_mean.push_back(value(cells, c_eval));
  }
  if (damaged > 0) {
    metrics_problem_ = path + ":" + std::to_string(first_damaged) + ": " + std::to_string(damaged) +
                       " damaged row(s) skipped in the learning curve";
  }
}

std::string RunBrowser::CheckpointPath(int iteration) const {
  return dir_ + "/checkpoints/" + CheckpointFileName(iteration);
}

std::string RunBrowser::FallbackPolicyPath() const {
  for (const char* name : {"/policy_best.json", "/policy_latest.json"}) {
    if (fs::exists(dir_ + name)) return dir_ + name;
  }
  return "";
}

double RunBrowser::EpisodesAt(int iteration) const {
  for (std::size_t i = 0; i < curve_.iteration.size(); ++i) {
    if (curve_.iteration[i] == iteration) return curve_.episodes[i];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace mnemo
