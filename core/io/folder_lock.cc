#include "core/io/folder_lock.h"

#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/util/error.h"

namespace mnemo {
namespace {

// The lock file of `folder`.
std::string LockPath(const std::string& folder) { return folder + "/.lock"; }

}  // namespace

std::optional<FolderLock> FolderLock::TryTake(const std::string& folder) {
  CreateFolders(folder);
  const std::string path = LockPath(folder);
  RegularFile file = RegularFile::OpenToLock(path);
  if (flock(file.Descriptor(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) return std::nullopt;  // another holder
    throw Error({path, 0, ""}, std::string("cannot lock the run folder (one writer per folder): ") +
                                   std::strerror(error));
  }
  // Names the holder for whoever is refused (best effort: the lock itself
  // is the flock, not the file's content).
  const std::string pid = std::to_string(static_cast<long>(getpid())) + "\n";
  if (ftruncate(file.Descriptor(), 0) == 0) {
    [[maybe_unused]] const ssize_t written = pwrite(file.Descriptor(), pid.data(), pid.size(), 0);
  }
  return FolderLock(std::move(file));
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
  std::string text;
  try {
    const RegularFile file = RegularFile::OpenToRead(LockPath(folder), Links::kRefuse);
    text = file.ReadPrefix(std::min<std::uint64_t>(file.Size(), 32));
  } catch (const Error&) {
    return 0;  // none written, or not a file to read
  }
  char* end = nullptr;
  const long pid = std::strtol(text.c_str(), &end, 10);
  return end != text.c_str() && pid > 0 ? pid : 0;
}

}  // namespace mnemo
