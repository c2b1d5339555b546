// The header every search state starts with (gradient estimators and
// strategies), so that a state is never loaded into the wrong search.
#pragma once

#include <string>

#include "core/io/binary_io.h"

namespace mnemo {

// Writes the name of what wrote the state and the dimension it was sized for.
void WriteStateHeader(BinaryWriter& out, const std::string& name, int dim);
// Reads a header back; throws Error when it belongs to another search method
// or another dimension.
void ReadStateHeader(BinaryReader& in, const std::string& name, int dim);

}  // namespace mnemo
