// Registries built from explicit lists: lookup, unknown names, duplicate
// names, revisions.
#include "core/util/registry.h"

#include <doctest/doctest.h>

#include <memory>

#include "core/util/error.h"

namespace mnemo {
namespace {

// A product type of its own, so the test touches no real registry.
struct Gadget {
  int size = 0;  // what the factory was given
};
// A registry of gadgets built from an int.
using GadgetRegistry = Registry<Gadget, int>;

// Builds a gadget of the given size.
std::unique_ptr<Gadget> MakeGadget(int size) { return std::make_unique<Gadget>(Gadget{size}); }

TEST_CASE("a registry builds what its list names and refuses a name listed twice") {
  const GadgetRegistry registry(
      {{"small", "a small gadget", MakeGadget}, {"tiny", "a tiny gadget", MakeGadget, 3}});
  CHECK(registry.Has("small"));
  CHECK(!registry.Has("large"));
  CHECK(registry.Create("gadget", "small", 3)->size == 3);
  CHECK_THROWS_WITH_AS(registry.Create("gadget", "large", 3),
                       doctest::Contains("unknown gadget 'large' (known: small, tiny)"), Error);
  CHECK(registry.Revision("small") == 1);
  CHECK(registry.Revision("tiny") == 3);
  CHECK(registry.Entries().size() == 2);
  CHECK_THROWS_WITH_AS(GadgetRegistry({{"small", "one", MakeGadget}, {"small", "two", MakeGadget}}),
                       doctest::Contains("'small' is listed twice"), Error);
  CHECK_THROWS_WITH_AS(GadgetRegistry({{"small", "one", MakeGadget, 0}}),
                       doctest::Contains("revisions start at 1"), Error);
}

TEST_CASE("a registry extended by another layer keeps its entries and refuses a clash") {
  const GadgetRegistry base({{"small", "a small gadget", MakeGadget}});
  const GadgetRegistry more = base.With({{"large", "a large gadget", MakeGadget, 2}});
  CHECK(more.KnownNames() == "large, small");
  CHECK(more.Revision("large") == 2);
  CHECK(!base.Has("large"));
  CHECK_THROWS_WITH_AS(base.With({{"small", "again", MakeGadget}}),
                       doctest::Contains("'small' is listed twice"), Error);
}

}  // namespace
}  // namespace mnemo
