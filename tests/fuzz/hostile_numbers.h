// Hostile numbers behind a valid checksum, for the state and weights
// targets: finds the fields of a payload written by BinaryWriter (a
// state.bin's, a weights file's) and writes NaN, infinities, +-1e300,
// negative or huge counts over some of them, or swaps a text field for one
// such as "nan" or "-1". The target seals the payload again, so that the
// numbers reach the checks behind the checksum instead of stopping there.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tests/fuzz/rng.h"

namespace mnemo::fuzz {

// A field of a BinaryWriter payload.
struct PayloadField {
  // What the field looks like it holds.
  enum class Kind {
    kNumber,  // a double (a parameter, a return, a time)
    kCount,   // an integer below 2^32 or a small negative one (a count, a size)
    kText,    // a string: its 8-byte length, then its bytes
  };
  std::size_t offset = 0;  // where it starts in the payload
  Kind kind = Kind::kNumber;
};

// The fields of `payload`, in order, as its bytes suggest: a length
// followed by as many printable bytes is a string, any other 8 bytes a
// number or a count (BinaryWriter writes only 8-byte fields and strings).
std::vector<PayloadField> FindPayloadFields(const std::string& payload);

// Writes hostile values over 1 to 3 of the fields of `payload` (nothing
// when it has none).
void WriteHostileNumbers(std::string& payload, Rng& rng);

}  // namespace mnemo::fuzz
