#include "core/io/sealed_file.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/io/checksum.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The first bytes of a sealed file.
constexpr std::string_view kSealTag = "mnemo-sealed-1\n";

// The checksum's bytes, least significant first.
std::string ChecksumBytes(std::uint64_t sum) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((sum >> (8 * i)) & 0xff);
  return bytes;
}

// Whether `file` starts as the state files written before seals did: a
// BinaryWriter string, whose 8-byte little-endian length is below 256.
bool LooksUnsealed(std::string_view file) {
  if (file.size() < 8 || file[0] == '\0') return false;
  for (int i = 1; i < 8; ++i) {
    if (file[i] != '\0') return false;
  }
  return true;
}

}  // namespace

void WriteSealedFile(const std::string& path, const std::string& payload) {
  WriteFileAtomically(path, std::string(kSealTag) + payload + ChecksumBytes(Fnv1a64(payload)));
}

std::string ReadSealedFile(const std::string& path, Links links) {
  const std::string file = ReadTextFile(path, links);
  if (!std::string_view(file).starts_with(kSealTag)) {
    if (LooksUnsealed(file)) return file;
    throw Error({path, 0, ""}, "file is truncated or corrupt (no valid seal)");
  }
  if (file.size() < kSealTag.size() + 8) {
    throw Error({path, 0, ""}, "file is truncated or corrupt (too short for its checksum)");
  }
  const std::string_view payload(file.data() + kSealTag.size(), file.size() - kSealTag.size() - 8);
  if (ChecksumBytes(Fnv1a64(payload)) != std::string_view(file).substr(file.size() - 8)) {
    throw Error({path, 0, ""}, "file is truncated or corrupt (checksum mismatch)");
  }
  return std::string(payload);
}

}  // namespace mnemo
