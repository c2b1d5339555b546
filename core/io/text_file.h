// Whole text files: read at once, written atomically.
#pragma once

#include <string>

#include "core/io/file_system.h"

namespace mnemo {

// The whole content of `path`, a regular file (a FIFO, a device or a folder
// is refused, never waited on or read forever; with Links::kRefuse a
// symbolic link too); an Error naming the path when it cannot be read.
std::string ReadTextFile(const std::string& path, Links links = Links::kFollow);

// Writes `text` to `path` atomically (temporary file in the same folder,
// of its own, then rename), so a reader never sees a half-written file, even
// when several processes write the same file at once. The temporary file is
// created new (never opened through a link someone put under its name), and
// the rename replaces whatever was at `path`, a link included, without
// writing through it.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace mnemo
