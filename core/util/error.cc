#include "core/util/error.h"

#include <cctype>
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
  return OneLine(out.str());
}

}  // namespace

std::string OneLine(const std::string& text) {
  std::string line;
  line.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') {
      // One space for the break and the blanks on both sides of it.
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
      while (i + 1 < text.size() && std::isspace(static_cast<unsigned char>(text[i + 1]))) ++i;
      if (!line.empty() && i + 1 < text.size()) line += ' ';
    } else if (c < 0x20 && c != '\t') {
      static const char kHex[] = "0123456789abcdef";
      line += "\\x";
      line += kHex[c >> 4];
      line += kHex[c & 15];
    } else {
      line += static_cast<char>(c);
    }
  }
  return line;
}

Error::Error(const std::string& what) : std::runtime_error(OneLine(what)) {}

Error::Error(const ErrorLocation& where, const std::string& what)
    : std::runtime_error(Describe(where, what)), where_(where) {}

}  // namespace mnemo
