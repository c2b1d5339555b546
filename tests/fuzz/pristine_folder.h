// A folder's files kept in memory, so that a fuzz target can put the
// folder back as it was before each input (the state and run_folder
// targets: a prepared run folder, damaged by every input).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mnemo::fuzz {

// The files and folders under a folder, as they were when taken.
class PristineFolder {
 public:
  // Takes every regular file and folder under `dir`.
  explicit PristineFolder(std::string dir);
  // Puts the folder back as it was taken: removes what is not as it was
  // (links, FIFOs and folders that an input put there, files it changed or
  // added) and writes back what is missing.
  void Restore() const;
  // The folder.
  const std::string& Dir() const { return dir_; }
  // The bytes that the file `name` (relative to the folder) held.
  const std::string& Bytes(const std::string& name) const { return files_.at(name); }

 private:
  std::string dir_;                           // the folder
  std::vector<std::string> folders_;          // its folders, relative, parents first
  std::map<std::string, std::string> files_;  // its files, relative -> bytes
};

}  // namespace mnemo::fuzz
