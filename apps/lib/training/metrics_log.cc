#include "apps/lib/training/metrics_log.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/util/error.h"

namespace mnemo {
namespace {

// Opens `path` for appending after truncating it to `bytes`.
std::ofstream OpenTruncated(const std::string& path, bool resume, std::uint64_t bytes) {
  namespace fs = std::filesystem;
  if (resume) {
    if (!fs::exists(path)) throw Error({path, 0, ""}, "metrics log missing; cannot resume");
    fs::resize_file(path, bytes);
    return std::ofstream(path, std::ios::app | std::ios::binary);
  }
  return std::ofstream(path, std::ios::trunc | std::ios::binary);
}

// Shortest text that reads back as the same double.
std::string Number(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

MetricsLog::MetricsLog(const std::string& run_dir, bool resume, std::uint64_t csv_bytes,
                       std::uint64_t jsonl_bytes)
    : csv_path_(run_dir + "/metrics.csv"), jsonl_path_(run_dir + "/metrics.jsonl") {
  csv_ = OpenTruncated(csv_path_, resume, csv_bytes);
  jsonl_ = OpenTruncated(jsonl_path_, resume, jsonl_bytes);
  if (!csv_ || !jsonl_) throw Error({run_dir, 0, ""}, "cannot write the metrics log");
  csv_bytes_ = resume ? csv_bytes : 0;
  jsonl_bytes_ = resume ? jsonl_bytes : 0;
}

void MetricsLog::Append(const MetricsRow& row) {
  std::string csv_line;
  if (csv_bytes_ == 0) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) csv_line += ',';
      csv_line += row[i].first;
    }
    csv_line += "\n";
  }
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) csv_line += ',';
    csv_line += Number(row[i].second);
    if (std::isnan(row[i].second)) {
      j[row[i].first] = nullptr;
    } else {
      j[row[i].first] = row[i].second;
    }
  }
  csv_line += "\n";
  const std::string json_line = j.dump() + "\n";
  csv_ << csv_line;
  jsonl_ << json_line;
  csv_.flush();
  jsonl_.flush();
  if (!csv_ || !jsonl_) throw Error({csv_path_, 0, ""}, "write failed (disk full?)");
  csv_bytes_ += csv_line.size();
  jsonl_bytes_ += json_line.size();
}

}  // namespace mnemo
