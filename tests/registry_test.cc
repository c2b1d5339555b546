// The self-registering registries: lookup, unknown names, duplicates.
#include "core/util/registry.h"

#include <doctest/doctest.h>

#include <memory>

#include "core/io/error.h"

namespace mnemo {
namespace {

// A product type of its own, so the test touches no real registry.
struct Gadget {
  int size = 0;  // what the factory was given
};
// A registry of gadgets built from an int.
using GadgetRegistry = Registry<Gadget, int>;

TEST_CASE("a registry builds what was registered and refuses a name registered twice") {
  GadgetRegistry& registry = GadgetRegistry::Instance();
  const auto make = [](int size) { return std::make_unique<Gadget>(Gadget{size}); };
  CHECK(registry.Add("small", "a small gadget", make));
  CHECK(registry.Has("small"));
  CHECK(!registry.Has("large"));
  CHECK_THROWS_WITH_AS(registry.Add("small", "a copy", make),
                       doctest::Contains("'small' is registered twice"), Error);
  CHECK(registry.Create("gadget", "small", 3)->size == 3);
  CHECK_THROWS_AS(registry.Create("gadget", "large", 3), Error);
}

}  // namespace
}  // namespace mnemo
