// The metrics log of a run: one row per iteration, as CSV and JSON lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/io/file_system.h"

namespace mnemo {

// One row: named numbers, in a fixed column order.
using MetricsRow = std::vector<std::pair<std::string, double>>;

// Appends rows to metrics.csv and metrics.jsonl in a run folder; every row's
// first column is "iteration". A resumed run truncates both files to the
// sizes recorded with its last checkpoint, so rows written after it (by a
// killed run) are dropped and written again. Neither file is ever opened
// through a symbolic link, and both must be regular files (a link, a FIFO
// or a folder in their place is an Error naming it).
class MetricsLog {
 public:
  // Opens the two files in `run_dir`, creating them for a new run. When
  // resuming, first checks that each holds at least the bytes its run's
  // state counts and that its last row up to there is the row of
  // `last_iteration` (none when it is 0 and the count is 0), then truncates
  // them there; a damaged or replaced file is an Error naming it, and
  // nothing is changed.
  MetricsLog(const std::string& run_dir, bool resume, std::uint64_t csv_bytes,
             std::uint64_t jsonl_bytes, std::int64_t last_iteration = 0);

  // Appends one row (the header is written before the first row). NaN
  // values are written as empty CSV cells and JSON nulls.
  void Append(const MetricsRow& row);

  // Current sizes of the two files (to store in a checkpoint).
  std::uint64_t CsvBytes() const { return csv_bytes_; }
  std::uint64_t JsonlBytes() const { return jsonl_bytes_; }

 private:
  std::string csv_path_;
  std::string jsonl_path_;
  std::optional<RegularFile> csv_;    // metrics.csv, open to append
  std::optional<RegularFile> jsonl_;  // metrics.jsonl, open to append
  std::uint64_t csv_bytes_ = 0;
  std::uint64_t jsonl_bytes_ = 0;
};

}  // namespace mnemo
