// Structural mutations of YAML text, for the config target: alias bombs
// (anchors nested in anchors), merge keys (`<<:`), duplicate keys, deep
// nesting, chains of anchors that refer to anchors, values swapped for
// YAML's special scalars, entries moved to another mapping. Unlike byte
// flips, each leaves most of the text valid YAML, so that the mutant gets
// past the parser to the checks behind it (CheckPlainKeys, the loaders).
#pragma once

#include <string>

#include "tests/fuzz/rng.h"

namespace mnemo::fuzz {

// Applies one structural mutation, chosen by `rng`, to the YAML `text`
// (left as it is when the mutant would pass 64 KiB).
void MutateYaml(std::string& text, Rng& rng);

}  // namespace mnemo::fuzz
