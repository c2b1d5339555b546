// A lock on a bench cell's run folder, so that two processes sharing a bench
// folder (shards, or a second `mnemo bench` by mistake) never train the same
// cell at once.
#pragma once

#include <string>

namespace mnemo {

// An exclusive advisory lock (flock) on `<run folder>/.lock`, held while the
// object lives. The operating system releases it when the process dies, so a
// killed bench leaves no stale lock.
class CellLock {
 public:
  // Tries to take the lock of `run_dir` (created if missing) without
  // waiting; Held() says whether it was taken. An Error when the lock file
  // cannot be created.
  explicit CellLock(const std::string& run_dir);
  ~CellLock();
  CellLock(const CellLock&) = delete;
  CellLock& operator=(const CellLock&) = delete;

  // Whether this object holds the lock (false: another process holds it).
  bool Held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace mnemo
