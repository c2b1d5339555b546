#include "core/io/file_system.h"

#include <filesystem>

#include "core/util/error.h"

namespace mnemo {

namespace fs = std::filesystem;

void CreateFolders(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) throw Error({path, 0, ""}, "cannot create the folder: " + error.message());
}

void CopyFileReplacing(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) throw Error({to, 0, ""}, "cannot copy " + from + " here: " + error.message());
}

void CheckParentFolderExists(const std::string& path) {
  const fs::path parent = fs::absolute(path).parent_path();
  if (!fs::is_directory(parent)) {
    throw Error({path, 0, ""}, "its folder " + parent.string() + " does not exist");
  }
}

}  // namespace mnemo
