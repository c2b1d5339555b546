#include "core/util/error.h"

#include <sstream>

namespace mnemo {
namespace {

// "file:line: key: what", leaving out the parts that are empty.
std::string Describe(const ErrorLocation& where, const std::string& what) {
  std::ostringstream out;
  if (!where.file.empty()) {
    out << where.file;
    if (where.line > 0) out << ':' << where.line;
    out << ": ";
  }
  if (!where.key.empty()) out << where.key << ": ";
  out << what;
  return out.str();
}

}  // namespace

Error::Error(const std::string& what) : std::runtime_error(what) {}

Error::Error(const ErrorLocation& where, const std::string& what)
    : std::runtime_error(Describe(where, what)), where_(where) {}

}  // namespace mnemo
