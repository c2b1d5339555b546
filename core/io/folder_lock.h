// One writer per folder: an exclusive lock on a run folder (training runs,
// meta-training runs, bench cells), so that a second process never appends
// to the files of a run another process is writing.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/io/file_system.h"

namespace mnemo {

// An exclusive advisory lock (flock) on `<folder>/.lock`, held while the
// object lives; the file names the holder's pid. The operating system
// releases the lock when the process dies, so a killed process leaves no
// stale lock. The lock file is never opened through a symbolic link, and
// must be a regular file (a link, a FIFO or a folder there is an Error), so
// that nobody who can write into a shared folder can make the holder write
// its pid into another file.
class FolderLock {
 public:
  // Takes the lock of `folder` (created if missing) without waiting;
  // nullopt when another holder has it. An Error when the lock file cannot
  // be created (e.g. a read-only folder).
  static std::optional<FolderLock> TryTake(const std::string& folder);
  // Takes the lock of `folder`, or throws an Error naming the folder and
  // the holder's pid ("in use by another mnemo process").
  static FolderLock Take(const std::string& folder);
  // The pid written by the current holder of `folder`'s lock (0 if none is
  // written or the file is unreadable).
  static long HolderPid(const std::string& folder);

  FolderLock(FolderLock&& other) noexcept = default;
  FolderLock& operator=(FolderLock&& other) noexcept = default;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  // Releases the lock (closing the file does).
  ~FolderLock() = default;

 private:
  explicit FolderLock(RegularFile file) : file_(std::move(file)) {}
  std::optional<RegularFile> file_;  // the open lock file, empty once moved from
};

}  // namespace mnemo
