// Named tensors inside a flat parameter vector.
#pragma once

#include <string>
#include <vector>

namespace mnemo {

// One named tensor: a rows x cols block stored row-major at `offset`.
struct TensorSlice {
  std::string name;  // e.g. "layer0.weight"
  int rows = 0;      // first dimension
  int cols = 1;      // second dimension (1 for a vector)
  int offset = 0;    // index of its first element in the flat vector

  // Number of elements.
  int Size() const { return rows * cols; }
};

// The tensors that make up a flat vector, in order and without gaps.
class ParamLayout {
 public:
  ParamLayout() = default;

  // Most elements a layout may hold (2^28 doubles, 2 GiB): sizes from a
  // damaged file must not overflow the count.
  static constexpr int kMaxParams = 1 << 28;

  // Appends a tensor after the last one; returns its offset. An Error when
  // a size is negative or the total would pass kMaxParams.
  int Add(const std::string& name, int rows, int cols = 1);
  // A layout of one tensor holding the whole vector.
  static ParamLayout Flat(int size, const std::string& name = "theta");

  // The tensors in order.
  const std::vector<TensorSlice>& Tensors() const { return tensors_; }
  // Total number of elements.
  int Size() const { return size_; }
  // Index of the tensor holding element `i`.
  int TensorOf(int i) const;

 private:
  std::vector<TensorSlice> tensors_;
  int size_ = 0;
};

}  // namespace mnemo
