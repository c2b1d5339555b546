// Folder creation, file copies and opened files whose failures (a file in
// the way, no permission, a full disk, a symbolic link or a FIFO where a
// file should be) are Errors naming the path, not internal errors or hangs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mnemo {

// Creates the folder `path` and any missing parents (nothing if it exists).
void CreateFolders(const std::string& path);

// Creates the folder `path` inside a folder that exists (nothing if it
// exists); an Error naming it when it is a symbolic link or not a folder,
// so that what is written into it stays in the folder above (a run
// folder's checkpoints/ and snapshots/, a bench's cell folders).
void CreateFolderInside(const std::string& path);

// Copies the file `from` to `to`, replacing `to` if it exists.
void CopyFileReplacing(const std::string& from, const std::string& to);

// Refuses early, before long work, a file path whose folder does not exist
// or is not a folder (the work would fail only when it writes the file).
void CheckParentFolderExists(const std::string& path);

// Whether an open follows a symbolic link at the path's last component.
// kRefuse is for the files of a folder that others may write into (a run
// folder on a shared disk): a link there could point anywhere.
enum class Links { kFollow, kRefuse };

// Whether anything (a file, a folder, a link, even a dangling one) is at
// `path`, without following a link there.
bool EntryExists(const std::string& path);

// Throws an Error naming `path` when anything but a regular file is there
// (a symbolic link, a FIFO, a device, a folder); nothing when nothing is.
void RequireRegularFileOrNothing(const std::string& path);

// Throws an Error naming `path` when anything but a folder is there (a
// symbolic link to one included); nothing when nothing is.
void RequireFolderOrNothing(const std::string& path);

// An open regular file, closed when the object dies. Opening never waits
// (a FIFO is refused, not waited on) and refuses whatever is not a regular
// file: a folder, a FIFO, a device, a socket, and with Links::kRefuse a
// symbolic link. Every failure is an Error naming the path.
class RegularFile {
 public:
  // Opens `path` to read.
  static RegularFile OpenToRead(const std::string& path, Links links);
  // Opens `path` to append, never through a symbolic link; created (empty)
  // when missing if `create`, emptied first if `truncate`.
  static RegularFile OpenToAppend(const std::string& path, bool create, bool truncate);
  // Opens `path` to read and write (created when missing), never through a
  // symbolic link (a lock file).
  static RegularFile OpenToLock(const std::string& path);
  // Creates `path` to write, which must not exist (nor be a link): nullopt
  // when something is there already (a temporary file's name taken). Its
  // errors name `shown` (when not empty) instead of the path.
  static std::optional<RegularFile> CreateNew(const std::string& path,
                                              const std::string& shown = "");

  RegularFile(RegularFile&& other) noexcept;
  RegularFile& operator=(RegularFile&& other) noexcept;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  ~RegularFile();

  // The whole content, from the start (an Error when it cannot be read or
  // is too large for memory).
  std::string ReadAll() const;
  // The first `bytes` bytes; an Error when the file holds fewer.
  std::string ReadPrefix(std::uint64_t bytes) const;
  // The size in bytes.
  std::uint64_t Size() const;
  // Writes all of `bytes` at the end (an Error, "disk full?", when it cannot).
  void Append(std::string_view bytes) const;
  // Cuts the file to `bytes` bytes.
  void Truncate(std::uint64_t bytes) const;
  // The file descriptor (for flock and the like), valid while this lives.
  int Descriptor() const { return fd_; }
  // The path it was opened at.
  const std::string& Path() const { return path_; }

 private:
  // Opens `path` with open(2) `flags` (O_CLOEXEC and O_NONBLOCK added,
  // O_NOFOLLOW too for kRefuse), then checks that it is a regular file.
  static RegularFile Open(const std::string& path, int flags, Links links);
  RegularFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_ = -1;       // the open file, -1 once moved from
  std::string path_;  // for error messages
};

}  // namespace mnemo
