#include "core/math/param_layout.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/util/error.h"

namespace mnemo {

int ParamLayout::Add(const std::string& name, int rows, int cols) {
  const std::int64_t entries = std::int64_t{rows} * std::int64_t{cols};
  if (rows < 0 || cols < 0 || entries > kMaxParams - size_) {
    throw Error("parameter tensor '" + name + "' of " + std::to_string(rows) + " x " +
                std::to_string(cols) + " makes more than " + std::to_string(kMaxParams) +
                " parameters");
  }
  const int offset = size_;
  tensors_.push_back({name, rows, cols, offset});
  size_ += static_cast<int>(entries);
  return offset;
}

ParamLayout ParamLayout::Flat(int size, const std::string& name) {
  ParamLayout layout;
  layout.Add(name, size, 1);
  return layout;
}

int ParamLayout::TensorOf(int i) const {
  const auto it =
      std::upper_bound(tensors_.begin(), tensors_.end(), i,
                       [](int index, const TensorSlice& t) { return index < t.offset; });
  if (it == tensors_.begin() || i >= size_) {
    throw std::out_of_range("ParamLayout::TensorOf: index out of range");
  }
  return static_cast<int>(std::distance(tensors_.begin(), it)) - 1;
}

}  // namespace mnemo
