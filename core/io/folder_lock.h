// One writer per folder: an exclusive lock on a run folder (training runs,
// meta-training runs, bench cells), so that a second process never appends
// to the files of a run another process is writing.
#pragma once

#include <optional>
#include <string>

namespace mnemo {

// An exclusive advisory lock (flock) on `<folder>/.lock`, held while the
// object lives; the file names the holder's pid. The operating system
// releases the lock when the process dies, so a killed process leaves no
// stale lock.
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

  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&& other) noexcept;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

 private:
  explicit FolderLock(int fd) : fd_(fd) {}
  int fd_ = -1;  // the open lock file, -1 once moved from
};

}  // namespace mnemo
