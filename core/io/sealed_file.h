// Binary state files sealed with a checksum, so that a truncated or
// corrupted file (a full disk, a bad copy between machines) is refused with a
// clear message instead of being read as wrong numbers.
#pragma once

#include <string>

#include "core/io/file_system.h"

namespace mnemo {

// Writes `payload` to `path` atomically, framed as: a tag, the payload, and
// the FNV-1a checksum of the payload.
void WriteSealedFile(const std::string& path, const std::string& payload);

// The payload of a file written by WriteSealedFile, after checking its
// checksum; an Error naming the path when the file is unreadable, truncated
// or corrupt. A state file written before seals existed (it starts with a
// BinaryWriter string: an 8-byte length below 256) is returned whole,
// unchecked. With Links::kRefuse a symbolic link at `path` is refused too.
std::string ReadSealedFile(const std::string& path, Links links = Links::kFollow);

}  // namespace mnemo
