#include "core/io/text_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "core/util/error.h"

namespace mnemo {

std::string ReadTextFile(const std::string& path, Links links) {
  return RegularFile::OpenToRead(path, links).ReadAll();
}

void WriteFileAtomically(const std::string& path, const std::string& text) {
  // A name of its own for every writer, so that processes writing the same
  // file at once (bench shards) never share a temporary file; a name taken
  // (by a killed writer of the same pid, or by a planted link) is skipped.
  static std::atomic<unsigned long> writes{0};
  std::optional<RegularFile> out;
  std::string tmp;
  for (int attempt = 0; !out; ++attempt) {
    if (attempt == 100) throw Error({path, 0, ""}, "cannot write file: no free temporary name");
    tmp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(writes.fetch_add(1));
    out = RegularFile::CreateNew(tmp, path);
  }
  try {
    out->Append(text);
  } catch (const Error&) {
    out.reset();
    std::remove(tmp.c_str());
    throw Error({path, 0, ""}, "write failed (disk full?)");
  }
  out.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const Error error({path, 0, ""},
                      std::string("cannot replace the file: ") + std::strerror(errno));
    std::remove(tmp.c_str());
    throw error;
  }
}

}  // namespace mnemo
