#include "apps/lib/training/numbered_files.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

namespace mnemo {
namespace {

// "<prefix><iteration, 6 digits>.json".
std::string NumberedName(const char* prefix, int iteration) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%06d.json", prefix, iteration);
  return name;
}

}  // namespace

std::string CheckpointFileName(int iteration) { return NumberedName("policy_", iteration); }

std::string SnapshotFileName(int iteration) { return NumberedName("optimizer_", iteration); }

std::vector<int> NumberedFiles(const std::string& dir, const std::string& prefix) {
  namespace fs = std::filesystem;
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

}  // namespace mnemo
