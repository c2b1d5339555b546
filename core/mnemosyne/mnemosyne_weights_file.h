// Mnemosyne's weights file: its architecture, the seed of its random-feature
// directions and its meta-parameters, in the learned-updater file format of
// core/optim/learned_weights_file.h (format version, checksum).
#pragma once

#include <cstdint>
#include <string>

#include "core/io/config_node.h"
#include "core/mnemosyne/architecture.h"

namespace mnemo {

// The registry name of the coordinate-wise Mnemosyne rule (the paper's: the
// decoder's output is the step itself).
inline constexpr char kCoordinatewiseName[] = "mnemosyne_coordinatewise";
// The kind its weights files record (a format tag older than the name).
inline constexpr char kMnemosyneKind[] = "mnemosyne";

// Everything that defines a (trained or initial) Mnemosyne.
struct MnemosyneWeights {
  MnemosyneArchitecture architecture;
  std::uint64_t random_feature_seed = 0;
  Vec numbers;  // the flat meta-parameter vector
};

// Writes `weights` to `path` (atomically).
void SaveMnemosyneWeights(const std::string& path, const MnemosyneWeights& weights);

// Reads a Mnemosyne weights file. Throws Error naming the file when it is
// missing, corrupt, of another format version or kind, or holds a number of
// meta-parameters that does not fit its architecture.
MnemosyneWeights LoadMnemosyneWeights(const std::string& path);

// Reads the file named by `config`'s `weights` key and checks it against
// the architecture keys (and `random_feature_seed`) that the config sets
// itself: a difference is an Error at that key.
MnemosyneWeights LoadMnemosyneWeights(const ConfigNode& config);

}  // namespace mnemo
