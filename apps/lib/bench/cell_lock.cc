#include "apps/lib/bench/cell_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/io/file_system.h"
#include "core/util/error.h"

namespace mnemo {

CellLock::CellLock(const std::string& run_dir) {
  CreateFolders(run_dir);
  const std::string path = run_dir + "/.lock";
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw Error({path, 0, ""}, std::string("cannot create the lock file: ") + std::strerror(errno));
  }
  held_ = flock(fd_, LOCK_EX | LOCK_NB) == 0;
}

CellLock::~CellLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock
}

}  // namespace mnemo
