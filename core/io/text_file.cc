#include "core/io/text_file.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.h"

namespace mnemo {

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error({path, 0, ""}, "cannot open file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileAtomically(const std::string& path, const std::string& text) {
  // A name of its own for every writer, so that processes writing the same
  // file at once (bench shards) never share a temporary file.
  static std::atomic<unsigned long> writes{0};
  const std::string tmp =
      path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(writes.fetch_add(1));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error({path, 0, ""}, "cannot write file");
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw Error({path, 0, ""}, "write failed (disk full?)");
    }
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error({path, 0, ""}, "cannot replace the file: " + error.message());
  }
}

}  // namespace mnemo
