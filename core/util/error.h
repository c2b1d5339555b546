// The one exception type of the toolkit: bad input, with where and what.
#pragma once

#include <stdexcept>
#include <string>

namespace mnemo {

// Where a problem was found: a file, optionally a line and a key within it.
struct ErrorLocation {
  std::string file;  // path of the file, empty when not from a file
  int line = 0;      // 1-based line, 0 when unknown
  std::string key;   // config key or element name, empty when not relevant
};

// Bad input (a config, an MJCF file, a policy file, a command-line value).
// The apps print what() as one line and exit with code 2; what() is one line
// (OneLine) whatever the location's key or the message hold.
class Error : public std::runtime_error {
 public:
  // An error with no location.
  explicit Error(const std::string& what);
  // An error at `where`; what() reads "file:line: key: what".
  Error(const ErrorLocation& where, const std::string& what);

  // Where it happened (fields may be empty).
  const ErrorLocation& Where() const { return where_; }

 private:
  ErrorLocation where_;
};

// `text` on one line: each line break (with the blanks around it) becomes
// one space, and other control characters are written as \xNN, so that an
// error message stays one line whatever a file or a library put in it.
std::string OneLine(const std::string& text);

}  // namespace mnemo
