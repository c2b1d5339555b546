#include "core/io/checksum.h"

#include <cstdio>

#include "core/io/text_file.h"

namespace mnemo {

std::uint64_t Fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string FileDigest(const std::string& path) {
  const std::string bytes = ReadTextFile(path);
  char text[64];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx, %zu bytes",
                static_cast<unsigned long long>(Fnv1a64(bytes)), bytes.size());
  return text;
}

}  // namespace mnemo
