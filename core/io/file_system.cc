#include "core/io/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <new>
#include <utility>

#include "core/util/error.h"

namespace mnemo {

namespace fs = std::filesystem;

namespace {

// What the entry described by `mode` is ("a FIFO").
std::string KindOf(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// The Error for an open(2) of `path` that failed with `error`; `doing` says
// what the open was for ("cannot open file").
Error OpenError(const std::string& path, int error, const std::string& doing, Links links) {
  struct stat entry {};
  const bool seen = lstat(path.c_str(), &entry) == 0;
  if (seen && S_ISLNK(entry.st_mode) && links == Links::kRefuse) {
    return Error({path, 0, ""},
                 "is a symbolic link; refusing to follow it (files here must be regular files: "
                 "remove the link)");
  }
  if (seen && !S_ISREG(entry.st_mode) && !S_ISLNK(entry.st_mode)) {
    return Error({path, 0, ""}, "is " + KindOf(entry.st_mode) + ", not a regular file");
  }
  return Error({path, 0, ""}, doing + ": " + std::strerror(error));
}

}  // namespace

void CreateFolders(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) throw Error({path, 0, ""}, "cannot create the folder: " + error.message());
}

void CreateFolderInside(const std::string& path) {
  if (mkdir(path.c_str(), 0777) == 0) return;
  const int error = errno;
  if (!EntryExists(path)) {
    throw Error({path, 0, ""}, std::string("cannot create the folder: ") + std::strerror(error));
  }
  RequireFolderOrNothing(path);
}

void CopyFileReplacing(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) throw Error({to, 0, ""}, "cannot copy " + from + " here: " + error.message());
}

void CheckParentFolderExists(const std::string& path) {
  std::error_code error;
  const fs::path parent = fs::absolute(path, error).parent_path();
  if (error || !fs::is_directory(parent, error)) {
    throw Error({path, 0, ""}, "its folder " + parent.string() + " does not exist");
  }
}

bool EntryExists(const std::string& path) {
  struct stat entry {};
  return lstat(path.c_str(), &entry) == 0;
}

void RequireRegularFileOrNothing(const std::string& path) {
  struct stat entry {};
  if (lstat(path.c_str(), &entry) != 0 || S_ISREG(entry.st_mode)) return;
  if (S_ISLNK(entry.st_mode)) {
    throw Error({path, 0, ""},
                "is a symbolic link; refusing to follow it (files here must be regular files: "
                "remove the link)");
  }
  throw Error({path, 0, ""}, "is " + KindOf(entry.st_mode) + ", not a regular file");
}

void RequireFolderOrNothing(const std::string& path) {
  struct stat entry {};
  if (lstat(path.c_str(), &entry) != 0 || S_ISDIR(entry.st_mode)) return;
  if (S_ISLNK(entry.st_mode)) {
    throw Error({path, 0, ""},
                "is a symbolic link; refusing to write through it (remove the link)");
  }
  throw Error({path, 0, ""}, "is " + KindOf(entry.st_mode) + ", not a folder");
}

RegularFile RegularFile::Open(const std::string& path, int flags, Links links) {
  const int fd =
      open(path.c_str(),
           flags | O_CLOEXEC | O_NONBLOCK | (links == Links::kRefuse ? O_NOFOLLOW : 0), 0666);
  if (fd < 0) {
    const int error = errno;
    throw OpenError(
        path, error,
        (flags & O_ACCMODE) == O_RDONLY ? "cannot open file" : "cannot open file to write", links);
  }
  RegularFile file(fd, path);
  struct stat entry {};
  if (fstat(fd, &entry) != 0) {
    throw Error({path, 0, ""}, std::string("cannot open file: ") + std::strerror(errno));
  }
  if (!S_ISREG(entry.st_mode)) {
    throw Error({path, 0, ""}, "is " + KindOf(entry.st_mode) + ", not a regular file");
  }
  return file;
}

RegularFile RegularFile::OpenToRead(const std::string& path, Links links) {
  return Open(path, O_RDONLY, links);
}

RegularFile RegularFile::OpenToAppend(const std::string& path, bool create, bool truncate) {
  return Open(path, O_WRONLY | O_APPEND | (create ? O_CREAT : 0) | (truncate ? O_TRUNC : 0),
              Links::kRefuse);
}

RegularFile RegularFile::OpenToLock(const std::string& path) {
  return Open(path, O_RDWR | O_CREAT, Links::kRefuse);
}

std::optional<RegularFile> RegularFile::CreateNew(const std::string& path,
                                                  const std::string& shown) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) return std::nullopt;
    throw Error({shown.empty() ? path : shown, 0, ""},
                std::string("cannot write file: ") + std::strerror(error));
  }
  return RegularFile(fd, shown.empty() ? path : shown);
}

RegularFile::RegularFile(RegularFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) close(fd_);
}

std::uint64_t RegularFile::Size() const {
  struct stat entry {};
  if (fstat(fd_, &entry) != 0) {
    throw Error({path_, 0, ""}, std::string("cannot read file: ") + std::strerror(errno));
  }
  return static_cast<std::uint64_t>(entry.st_size);
}

std::string RegularFile::ReadPrefix(std::uint64_t bytes) const {
  std::string text;
  try {
    text.resize(static_cast<std::size_t>(bytes));
  } catch (const std::bad_alloc&) {
    throw Error({path_, 0, ""}, "too large to read (" + std::to_string(bytes) + " bytes)");
  } catch (const std::length_error&) {
    throw Error({path_, 0, ""}, "too large to read (" + std::to_string(bytes) + " bytes)");
  }
  std::uint64_t done = 0;
  while (done < bytes) {
    const ssize_t got = pread(fd_, text.data() + done, bytes - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      throw Error({path_, 0, ""}, std::string("cannot read file: ") + std::strerror(errno));
    }
    if (got == 0) {
      throw Error({path_, 0, ""}, "holds " + std::to_string(done) + " bytes, fewer than the " +
                                      std::to_string(bytes) + " expected");
    }
    done += static_cast<std::uint64_t>(got);
  }
  return text;
}

std::string RegularFile::ReadAll() const {
  std::string text = ReadPrefix(Size());
  // A file that grew while it was read: the rest too.
  char more[4096];
  for (;;) {
    const ssize_t got = pread(fd_, more, sizeof more, static_cast<off_t>(text.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    text.append(more, static_cast<std::size_t>(got));
  }
  return text;
}

void RegularFile::Append(std::string_view bytes) const {
  while (!bytes.empty()) {
    const ssize_t put = write(fd_, bytes.data(), bytes.size());
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      throw Error({path_, 0, ""}, std::string("write failed (disk full?): ") +
                                      std::strerror(put < 0 ? errno : ENOSPC));
    }
    bytes.remove_prefix(static_cast<std::size_t>(put));
  }
}

void RegularFile::Truncate(std::uint64_t bytes) const {
  if (ftruncate(fd_, static_cast<off_t>(bytes)) != 0) {
    throw Error({path_, 0, ""}, std::string("cannot truncate the file: ") + std::strerror(errno));
  }
}

}  // namespace mnemo
