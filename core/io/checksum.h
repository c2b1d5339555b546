// A fast content checksum: tells whether two byte strings (or files) differ.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mnemo {

// FNV-1a, 64 bits, over `bytes`: catches any flipped, dropped or added byte
// (not a cryptographic hash).
std::uint64_t Fnv1a64(std::string_view bytes);

// "fnv1a64:<16 hex digits>, <n> bytes" for the content of the file at
// `path`; an Error naming the path when it cannot be read.
std::string FileDigest(const std::string& path);

}  // namespace mnemo
