#include "tests/fuzz/fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mnemo::fuzz {

FuzzInput SplitInput(const std::uint8_t* data, std::size_t size, int variants) {
  FuzzInput input;
  if (size == 0) return input;
  input.raw = (data[0] & 1) != 0;
  input.variant = (data[0] >> 1) % variants;
  input.rest.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  return input;
}

FuzzInput SplitInput(const std::string& input, int variants) {
  return SplitInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size(), variants);
}

char ModeByte(int variant, bool raw) { return static_cast<char>((variant << 1) | (raw ? 1 : 0)); }

void NoteRefusal(const char* message) {
  static const bool show = std::getenv("MNEMO_FUZZ_SHOW_REFUSALS") != nullptr;
  if (show) std::fprintf(stderr, "refused: %s\n", message);
}

const std::string& ScratchDir() {
  static const std::string dir = [] {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("mnemo_fuzz_" + std::to_string(getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path.string();
  }();
  return dir;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

}  // namespace mnemo::fuzz
