#include "apps/view/run_browser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

#include "apps/lib/training/run_files.h"
#include "core/es/strategy.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
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
  // A link loop or an unreadable folder is a refusal, not an escaping
  // filesystem_error; a link at config.yaml is refused when it is read.
  std::error_code error;
  if (!fs::is_directory(dir_, error)) throw Error({dir_, 0, ""}, "no such run folder");
  if (!EntryExists(config)) {
    throw Error({dir_, 0, ""},
                "not a run folder (no config.yaml); give a run folder of `mnemo train` "
                "or a policy file");
  }
  config_ = ParseTrainConfig(ReadTextFile(config, Links::kRefuse), config);
  // What a resume would rebuild first, the learned optimizer's weights
  // included: the browser shows the run's policies either way, but says so.
  try {
    MakeStrategy(config_.search, config_.optimizer);
  } catch (const Error& e) {
    search_problem_ =
        std::string("the run's search cannot be rebuilt, so it will not resume: ") + e.what();
  }
  checkpoints_ = NumberedFiles(dir_ + "/checkpoints", "policy_");
  ReadMetrics(true);
}

std::vector<std::string> RunBrowser::Problems() const {
  std::vector<std::string> problems = metrics_problems_;
  if (!search_problem_.empty()) problems.insert(problems.begin(), search_problem_);
  return problems;
}

void RunBrowser::Refresh() {
  checkpoints_ = NumberedFiles(dir_ + "/checkpoints", "policy_");
  ReadMetrics(false);
}

void RunBrowser::ReadMetrics(bool opening) {
  const std::string path = dir_ + "/metrics.csv";
  if (!EntryExists(path)) return;
  std::string text;
  try {
    const RegularFile file = RegularFile::OpenToRead(path, Links::kRefuse);
    if (file.Size() == metrics_bytes_ && !opening) return;
    metrics_bytes_ = file.Size();
    text = file.ReadPrefix(metrics_bytes_);
  } catch (const Error& e) {
    metrics_problems_ = {std::string(e.what()) + "; learning curve not shown"};
    curve_ = LearningCurve();
    return;
  }
  curve_ = LearningCurve();
  metrics_problems_.clear();
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) return;
  const std::vector<std::string> header = SplitCsv(line);
  if (std::find(header.begin(), header.end(), "iteration") == header.end()) {
    metrics_problems_.push_back(path +
                                ": no iteration column in its header; learning curve not shown");
    return;
  }
  ParseRows(path, header, in, opening);
}

void RunBrowser::ParseRows(const std::string& path, const std::vector<std::string>& header,
                           std::istringstream& in, bool opening) {
  // Column index of `name` (-1 if missing).
  auto column = [&header](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int c_it = column("iteration");
  const int c_ep = column("episodes");
  const int c_train = column("train_return_mean");
  const int c_eval = column("eval_return_mean");
  auto value = [](const std::vector<std::string>& cells, int c) {
    return c < 0 ? std::numeric_limits<double>::quiet_NaN() : Cell(cells[c]);
  };
  int line_number = 1;
  int damaged = 0;
  int first_damaged = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (in.eof()) {
      // No line break yet: a row being written, or one cut.
      if (opening) {
        metrics_problems_.push_back(path + ":" + std::to_string(line_number) +
                                    ": the last row is cut (no line break); not shown");
      }
      break;
    }
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
    metrics_problems_.insert(metrics_problems_.begin(),
                             path + ":" + std::to_string(first_damaged) + ": " +
                                 std::to_string(damaged) +
                                 " damaged row(s) skipped in the learning curve");
  }
}

std::string RunBrowser::CheckpointPath(int iteration) const {
  return dir_ + "/checkpoints/" + CheckpointFileName(iteration);
}

std::string RunBrowser::FallbackPolicyPath() const {
  for (const char* name : {"/policy_best.json", "/policy_latest.json"}) {
    std::error_code error;  // a link loop there counts as no file
    if (fs::exists(dir_ + name, error)) return dir_ + name;
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
