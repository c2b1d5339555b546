#include "core/io/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "core/io/file_system.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The lock file of `folder`.
std::string LockPath(const std::string& folder) { return folder + "/.lock"; }

}  // namespace

std::optional<FolderLock> FolderLock::TryTake(const std::string& folder) {
  CreateFolders(folder);
  const std::string path = LockPath(folder);
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error({path, 0, ""}, std::string("cannot create the lock file: ") + std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    close(fd);
    if (error == EWOULDBLOCK) return std::nullopt;  // another holder
    throw Error({path, 0, ""}, std::string("cannot lock the run folder (one writer per folder): ") +
                                   std::strerror(error));
  }
  // Names the holder for whoever is refused (best effort: the lock itself
  // is the flock, not the file's content).
  const std::string pid = std::to_string(static_cast<long>(getpid())) + "\n";
  if (ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = pwrite(fd, pid.data(), pid.size(), 0);
  }
  return FolderLock(fd);
}

FolderLock FolderLock::Take(const std::string& folder) {
  std::optional<FolderLock> lock = TryTake(folder);
  if (!lock) {
    const long pid = HolderPid(folder);
    throw Error({folder, 0, ""}, "in use by another mnemo process" +
                                     (pid > 0 ? " (pid " + std::to_string(pid) + ")" : "") +
                                     "; one writer per run folder");
  }
  return std::move(*lock);
}

long FolderLock::HolderPid(const std::string& folder) {
  std::ifstream in(LockPath(folder));
  long pid = 0;
  if (!(in >> pid) || pid < 0) return 0;
  return pid;
}

FolderLock::FolderLock(FolderLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock
}

}  // namespace mnemo
