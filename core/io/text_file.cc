#include "core/io/text_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/error.h"

namespace mnemo {

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error({path, 0, ""}, "cannot open file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error({path, 0, ""}, "cannot write file");
    out << text;
    out.flush();
    if (!out) throw Error({path, 0, ""}, "write failed (disk full?)");
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace mnemo
