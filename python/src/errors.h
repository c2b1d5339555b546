// The module's own error types and checks, beside the translation of the
// toolkit's errors into Python exceptions (errors.cc).
#pragma once

#include <string>

#include "core/io/config_node.h"
#include "core/util/error.h"

namespace mnemo::python {

// An Error about a file that is not there: raised as FileNotFoundError.
class MissingFileError : public Error {
 public:
  using Error::Error;
};

// Throws a MissingFileError, with the message a run would give, when the
// file named at `key` of `config` is found nowhere.
void RequireFile(const ConfigNode& config, const std::string& key);

}  // namespace mnemo::python
