#include "core/es/state_header.h"

#include <cstdint>

#include "core/util/error.h"

namespace mnemo {

void WriteStateHeader(BinaryWriter& out, const std::string& name, int dim) {
  out.WriteString(name);
  out.WriteI64(dim);
}

void ReadStateHeader(BinaryReader& in, const std::string& name, int dim) {
  const std::string stored = in.ReadString();
  if (stored != name) {
    throw Error("search state was written by '" + stored + "', not '" + name + "'");
  }
  const std::int64_t stored_dim = in.ReadI64();
  if (stored_dim != dim) {
    throw Error("search state of '" + name + "' is for dimension " + std::to_string(stored_dim) +
                ", not " + std::to_string(dim));
  }
}

}  // namespace mnemo
