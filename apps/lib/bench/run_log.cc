#include "apps/lib/bench/run_log.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The comma-separated cells of one line.
std::vector<std::string> SplitCells(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

// Index of column `name` in `header`.
std::size_t ColumnIndex(const std::vector<std::string>& header, const std::string& name,
                        const std::string& source) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  throw Error({source, 1, name}, "missing column in the metrics log");
}

// A cell as a number (NaN when empty).
double CellValue(const std::string& cell, const std::string& source, int line,
                 const std::string& column) {
  if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(cell, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != cell.size()) throw Error({source, line, column}, "not a number: '" + cell + "'");
  return v;
}

}  // namespace

RunLog ParseMetricsCsv(const std::string& text, const std::string& source) {
  RunLog log;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) return log;
  const std::vector<std::string> header = SplitCells(line);
  const std::size_t episodes = ColumnIndex(header, "episodes", source);
  const std::size_t env_steps = ColumnIndex(header, "env_steps", source);
  const std::size_t wall = ColumnIndex(header, "wall_seconds", source);
  const std::size_t eval = ColumnIndex(header, "eval_return_mean", source);
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = SplitCells(line);
    if (cells.size() != header.size()) {
      throw Error({source, number, ""}, "expected " + std::to_string(header.size()) +
                                            " cells, found " + std::to_string(cells.size()));
    }
    log.episodes = CellValue(cells[episodes], source, number, "episodes");
    log.env_steps = CellValue(cells[env_steps], source, number, "env_steps");
    log.wall_seconds = CellValue(cells[wall], source, number, "wall_seconds");
    const double r = CellValue(cells[eval], source, number, "eval_return_mean");
    if (!std::isnan(r)) log.evaluations.push_back({log.episodes, r});
    ++log.rows;
  }
  return log;
}

RunLog ReadRunLog(const std::string& run_dir) {
  const std::string path = run_dir + "/metrics.csv";
  if (!EntryExists(path)) return {};
  return ParseMetricsCsv(ReadTextFile(path, Links::kRefuse), path);
}

}  // namespace mnemo
