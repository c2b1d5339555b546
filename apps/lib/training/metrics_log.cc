#include "apps/lib/training/metrics_log.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/util/error.h"

namespace mnemo {
namespace {

// The first `bytes` bytes of the metrics file at `path`; an Error naming it
// when it is not a regular file or holds fewer (it was cut or replaced
// after the state was written).
std::string LogPrefix(const std::string& path, std::uint64_t bytes) {
  try {
    const RegularFile file = RegularFile::OpenToRead(path, Links::kRefuse);
    const std::uint64_t size = file.Size();
    if (size < bytes) {
      throw Error({path, 0, ""}, "holds " + std::to_string(size) + " bytes, fewer than the " +
                                     std::to_string(bytes) +
                                     " the run's state.bin counts (the file was cut or replaced)");
    }
    return file.ReadPrefix(bytes);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + "; cannot resume this run folder");
  }
}

// The last line of `text` (which must end with a line break), without it.
std::string LastLine(const std::string& text) {
  const std::size_t start = text.find_last_of('\n', text.size() - 2);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     text.size() - 1 - (start == std::string::npos ? 0 : start + 1));
}

// Checks that the log prefix `text` of `path` ends with the row of
// `iteration` (or is empty, for no rows at iteration 0); `row_iteration`
// reads a row's iteration (nullopt when the row is malformed).
void CheckEndsAt(const std::string& path, const std::string& text, std::int64_t iteration,
                 const std::function<std::optional<double>(const std::string&)>& row_iteration) {
  const auto damaged = [&](const std::string& why) {
    return Error({path, 0, ""}, why + " where the run's state.bin says iteration " +
                                    std::to_string(iteration) +
                                    " ends (the file was edited or replaced); cannot resume");
  };
  if (text.empty()) {
    if (iteration != 0) throw damaged("holds no rows");
    return;
  }
  if (text.back() != '\n') throw damaged("holds a partial line");
  const std::optional<double> last = row_iteration(LastLine(text));
  if (!last || *last != static_cast<double>(iteration)) {
    throw damaged("holds another row");
  }
}

// A CSV row's iteration, its first field.
std::optional<double> CsvRowIteration(const std::string& row) {
  const std::string field = row.substr(0, row.find(','));
  char* end = nullptr;
  const double v = std::strtod(field.c_str(), &end);
  if (field.empty() || end != field.c_str() + field.size()) return std::nullopt;
  return v;
}

// A JSON line's "iteration".
std::optional<double> JsonRowIteration(const std::string& row) {
  const nlohmann::json j = nlohmann::json::parse(row, nullptr, false);
  if (!j.is_object() || !j.contains("iteration") || !j["iteration"].is_number()) {
    return std::nullopt;
  }
  return j["iteration"].get<double>();
}

// The file at `path` cut to `bytes` and open to append.
RegularFile OpenTruncated(const std::string& path, std::uint64_t bytes) {
  RegularFile file = RegularFile::OpenToAppend(path, false, false);
  file.Truncate(bytes);
  return file;
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
                       std::uint64_t jsonl_bytes, std::int64_t last_iteration)
    : csv_path_(run_dir + "/metrics.csv"), jsonl_path_(run_dir + "/metrics.jsonl") {
  if (resume) {
    // Both checked before either is touched.
    CheckEndsAt(csv_path_, LogPrefix(csv_path_, csv_bytes), last_iteration, CsvRowIteration);
    CheckEndsAt(jsonl_path_, LogPrefix(jsonl_path_, jsonl_bytes), last_iteration, JsonRowIteration);
    csv_ = OpenTruncated(csv_path_, csv_bytes);
    jsonl_ = OpenTruncated(jsonl_path_, jsonl_bytes);
  } else {
    csv_ = RegularFile::OpenToAppend(csv_path_, true, true);
    jsonl_ = RegularFile::OpenToAppend(jsonl_path_, true, true);
  }
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
  csv_->Append(csv_line);
  jsonl_->Append(json_line);
  csv_bytes_ += csv_line.size();
  jsonl_bytes_ += json_line.size();
}

}  // namespace mnemo
