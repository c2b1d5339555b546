#include "core/optim/learned_updater.h"

#include <algorithm>

namespace mnemo {

// How many tensors the default focus covers.
constexpr std::size_t kDefaultFocusTensors = 4;

std::vector<int> DefaultInspectionFocus(const ParamLayout& layout) {
  std::vector<int> focus;
  const auto& tensors = layout.Tensors();
  for (std::size_t t = 0; t < std::min(tensors.size(), kDefaultFocusTensors); ++t) {
    if (tensors[t].Size() > 0) focus.push_back(tensors[t].offset);
  }
  return focus;
}

std::string CoordinateLabel(const ParamLayout& layout, int j) {
  const TensorSlice& t = layout.Tensors()[layout.TensorOf(j)];
  return t.name + "#" + std::to_string(j - t.offset);
}

}  // namespace mnemo
