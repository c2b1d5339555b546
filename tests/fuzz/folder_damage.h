// A run folder's entries swapped for what a careless or hostile user may
// leave there: symbolic links (to a copy of the entry outside the folder,
// dangling, to a folder, to /dev/zero, to itself, to another entry), FIFOs,
// folders, nothing, an empty file. Used by the run_folder target (the
// viewer reading a folder) and the state target (a resume).
//
// A plan is bytes, two per swap (which entry, which damage, each modulo its
// count), so that libFuzzer's byte mutations make other plans. What links
// point at outside the folder lies in a folder of the target's own; a
// target that writes through one of them (a resume appending to a
// metrics.csv that is a link) changes it, and CheckOutsideUntouched calls
// that a finding.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "tests/fuzz/rng.h"

namespace mnemo::fuzz {

// What an entry is swapped for.
enum class Damage {
  kLinkToOutsideCopy,  // a symbolic link to a copy of it outside the folder
  kDanglingLink,       // a symbolic link to nothing
  kLinkToFolder,       // a symbolic link to an empty folder outside
  kLinkToDevZero,      // a symbolic link to /dev/zero (endless zeros)
  kLinkToItself,       // a symbolic link to itself (a loop)
  kLinkToSibling,      // a symbolic link to another entry of the folder
  kFifo,               // a FIFO (an open for reading waits for a writer)
  kFolder,             // an empty folder
  kMissing,            // nothing
  kEmpty,              // an empty regular file
  kCount,              // the number of damages
};

// The most swaps a plan makes (later bytes are ignored).
constexpr std::size_t kMaxSwaps = 4;

// Damages a folder's entries by plans, and checks what lies outside.
class FolderDamage {
 public:
  // Damages entries of `dir` among `entries` (named relative to it; a
  // folder before the entries inside it); links point into `outside`.
  FolderDamage(std::string dir, std::vector<std::string> entries, std::string outside);
  // Empties the outside folder, then makes the swaps of `plan`; a swap that
  // cannot be made (its folder is gone) is skipped.
  void Apply(const std::string& plan);
  // Aborts, naming the file, unless everything outside is as Apply left it.
  void CheckOutsideUntouched() const;
  // Changes `plan`: a swap added, changed or removed.
  static void MutatePlan(std::string& plan, Rng& rng);

 private:
  // Swaps `entry` for `damage`.
  void Swap(const std::string& entry, Damage damage);
  // Every file and folder under the outside folder: name -> bytes ("/"
  // for a folder).
  std::map<std::string, std::string> Outside() const;

  std::string dir_;                             // the folder damaged
  std::vector<std::string> entries_;            // what may be swapped
  std::string outside_;                         // where links point
  std::map<std::string, std::string> applied_;  // Outside() after Apply
};

}  // namespace mnemo::fuzz
