// Whole text files: read at once, written atomically.
#pragma once

#include <string>

namespace mnemo {

// The whole content of `path`; an Error naming the path when it cannot be
// opened.
std::string ReadTextFile(const std::string& path);

// Writes `text` to `path` atomically (temporary file in the same folder,
// of its own, then rename), so a reader never sees a half-written file, even
// when several processes write the same file at once.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace mnemo
