// Files a run folder keeps copies of, so that it does not depend on where
// the repository or the config was.
#pragma once

#include <string>

namespace mnemo {

// Copies the file at `source` into `run_dir` as `name` (atomically) and
// returns `name`: the path that the run folder's config.yaml gives for it,
// since a config finds files next to itself first. A run folder that names
// its files this way resumes after being moved or copied to another machine.
std::string CopyIntoRunFolder(const std::string& source, const std::string& run_dir,
                              const std::string& name);

}  // namespace mnemo
