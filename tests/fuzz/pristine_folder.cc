#include "tests/fuzz/pristine_folder.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "tests/fuzz/fuzz_target.h"

namespace mnemo::fuzz {

namespace fs = std::filesystem;

PristineFolder::PristineFolder(std::string dir) : dir_(std::move(dir)) {
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    const std::string name = entry.path().lexically_relative(dir_).string();
    if (entry.is_directory()) {
      folders_.push_back(name);
    } else if (entry.is_regular_file()) {
      files_[name] = ReadBytes(entry.path().string());
    }
  }
  std::sort(folders_.begin(), folders_.end());
}

void PristineFolder::Restore() const {
  // What is as it was stays (most of the folder, most of the time: writing
  // it all again for every input is what would take the time); the rest goes.
  std::set<std::string> kept;
  std::vector<fs::path> stale;
  std::error_code error;
  if (fs::symlink_status(dir_, error).type() != fs::file_type::directory) fs::remove(dir_, error);
  fs::create_directories(dir_);
  for (auto it = fs::recursive_directory_iterator(dir_); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().lexically_relative(dir_).string();
    const fs::file_type type = it->symlink_status().type();  // links not followed
    const auto file = files_.find(name);
    if (type == fs::file_type::directory &&
        std::binary_search(folders_.begin(), folders_.end(), name)) {
      continue;
    }
    if (type == fs::file_type::regular && file != files_.end() &&
        ReadBytes(it->path().string()) == file->second) {
      kept.insert(name);
      continue;
    }
    stale.push_back(it->path());
    if (type == fs::file_type::directory) it.disable_recursion_pending();
  }
  for (const fs::path& path : stale) fs::remove_all(path);
  for (const std::string& name : folders_) fs::create_directories(dir_ + "/" + name);
  for (const auto& [name, bytes] : files_) {
    if (kept.count(name) == 0) WriteBytes(dir_ + "/" + name, bytes);
  }
}

}  // namespace mnemo::fuzz
