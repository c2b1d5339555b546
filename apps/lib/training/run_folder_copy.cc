#include "apps/lib/training/run_folder_copy.h"

#include "core/io/text_file.h"

namespace mnemo {

std::string CopyIntoRunFolder(const std::string& source, const std::string& run_dir,
                              const std::string& name) {
  WriteFileAtomically(run_dir + "/" + name, ReadTextFile(source));
  return name;
}

}  // namespace mnemo
