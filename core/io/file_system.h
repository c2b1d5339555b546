// Folder creation and file copies whose failures (a file in the way, no
// permission, a full disk) are Errors naming the path, not internal errors.
#pragma once

#include <string>

namespace mnemo {

// Creates the folder `path` and any missing parents (nothing if it exists).
void CreateFolders(const std::string& path);

// Copies the file `from` to `to`, replacing `to` if it exists.
void CopyFileReplacing(const std::string& from, const std::string& to);

// Refuses early, before long work, a file path whose folder does not exist
// or is not a folder (the work would fail only when it writes the file).
void CheckParentFolderExists(const std::string& path);

}  // namespace mnemo
