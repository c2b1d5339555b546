// A run folder's files as a resumed run must reproduce them: the tests of
// exact resume compare these between an interrupted and an uninterrupted run.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_files.h"

namespace mnemo::testing {

// The CSV rows with the wall-time column blanked (it differs between runs).
inline std::vector<std::string> RowsWithoutWallTime(const std::string& csv) {
  std::vector<std::string> rows;
  std::stringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    std::stringstream cells(line);
    std::string out, cell;
    for (int col = 0; std::getline(cells, cell, ','); ++col) {
      out += (col == 3 ? std::string("*") : cell) + ",";
    }
    rows.push_back(out);
  }
  return rows;
}

// A snapshot's JSON without the attention panels: those show the last
// gradients' keys, a viewer-only record that a resumed run starts afresh
// (the memory itself, the S panels, resumes exactly).
inline std::string SnapshotWithoutAttention(const std::string& text) {
  nlohmann::json snapshot = nlohmann::json::parse(text);
  auto& panels = snapshot["panels"];
  for (auto it = panels.begin(); it != panels.end();) {
    it = it->at("name").get<std::string>().find("attention") != std::string::npos ? panels.erase(it)
                                                                                  : it + 1;
  }
  return snapshot.dump();
}

// Every file of `dir` (recursively) that a resumed run must reproduce
// exactly, by relative path: metrics and summary without their wall times,
// policies, checkpoints and optimizer snapshots (without attention panels).
inline std::map<std::string, std::string> ReproducibleFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  const std::regex wall_json("\"wall_seconds\": ?[^,}\n]*");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = fs::relative(entry.path(), dir).string();
    const std::string text = Slurp(entry.path().string());
    if (name == "metrics.csv") {
      std::string rows;
      for (const std::string& row : RowsWithoutWallTime(text)) rows += row + "\n";
      files[name] = rows;
    } else if (name.starts_with("snapshots/")) {
      files[name] = SnapshotWithoutAttention(text);
    } else if (name == "metrics.jsonl" || name.ends_with(".json")) {
      files[name] = std::regex_replace(text, wall_json, "*");
    }
  }
  return files;
}

// Checks that the run folder `run` holds exactly the reproducible files of
// `expected_run`, file by file.
inline void CheckSameRunFiles(const std::string& run, const std::string& expected_run) {
  const auto expected = ReproducibleFiles(expected_run);
  const auto actual = ReproducibleFiles(run);
  CHECK(actual.size() == expected.size());
  for (const auto& entry : expected) {
    const std::string& file = entry.first;
    INFO(file);
    CHECK(actual.count(file) == 1);
    if (actual.count(file) == 1) CHECK(actual.at(file) == entry.second);
  }
}

}  // namespace mnemo::testing
