// The exception thrown by long work that was asked to stop midway and
// abandoned what it was doing.
#pragma once

#include <stdexcept>

namespace mnemo {

// Work abandoned on request (not a failure: nothing it wrote is damaged).
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace mnemo
