// Whole text files: read at once, written atomically.
#pragma once

#include <string>

namespace mnemo {

// The whole content of `path`; an Error naming the path when it cannot be
// opened.
std::string ReadTextFile(const std::string& path);

// Writes `text` to `path` atomically (temporary file in the same folder,
// then rename), so a reader never sees a half-written file.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace mnemo
