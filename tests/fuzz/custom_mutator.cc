// libFuzzer's custom mutator, shared by every target (built with
// MNEMO_FUZZ=ON): half of the mutants come from the target's
// structure-aware mutation (MutateStructure: YAML structure, hostile
// numbers behind a fresh checksum, a run folder's entries swapped), the
// others, and those too large or that the target has none for, from
// libFuzzer's own byte mutations.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "tests/fuzz/fuzz_target.h"

// libFuzzer's own mutation of `data` (defined by libFuzzer).
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

// Called by libFuzzer for every mutant: mutates the `size` bytes at `data`
// in place (at most `max_size`) and returns the new size.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  if (seed % 2 == 0) {
    std::string input(reinterpret_cast<const char*>(data), size);
    if (mnemo::fuzz::MutateStructure(input, seed) && input.size() <= max_size) {
      std::memcpy(data, input.data(), input.size());
      return input.size();
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}
