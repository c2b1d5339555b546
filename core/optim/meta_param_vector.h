// The flat meta-parameter vector of a learned updater. The updater lists its
// learnable blocks (matrices and vectors), always in the same order, to a
// visitor; the visitors here turn that list into a flat vector, fill it back
// from one, or describe it as a named layout.
#pragma once

#include <string>
#include <vector>

#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/util/error.h"

namespace mnemo {

// Collects the blocks' numbers (row-major within a block) into one vector.
class MetaGather {
 public:
  // Appends `block`.
  void operator()(const std::string& name, const Mat& block);
  // Appends `block` (a column).
  void operator()(const std::string& name, const Vec& block);
  // The vector gathered so far.
  Vec Result() const;

 private:
  std::vector<double> values_;
};

// Fills the blocks, in order, from consecutive parts of a flat vector.
class MetaScatter {
 public:
  // Reads from `flat`, which must outlive the visitor and have exactly the
  // size of the blocks visited (check it first with MetaLayoutBuilder).
  explicit MetaScatter(const Vec& flat) : flat_(flat) {}
  // Overwrites `block`.
  void operator()(const std::string& name, Mat& block);
  // Overwrites `block` (a column).
  void operator()(const std::string& name, Vec& block);

 private:
  const Vec& flat_;
  int next_ = 0;
};

// Describes the blocks as named tensors of the flat vector.
class MetaLayoutBuilder {
 public:
  // Adds `block` as a rows x cols tensor.
  void operator()(const std::string& name, const Mat& block);
  // Adds `block` as a column tensor.
  void operator()(const std::string& name, const Vec& block);
  // The layout built so far.
  const ParamLayout& Result() const { return layout_; }

 private:
  ParamLayout layout_;
};

// The trio every learned updater needs, over the blocks that `visit` lists:
// visit(visitor) must hand every block, in order, to `visitor` (usually by
// calling the parameters' VisitBlocks).

// The blocks' numbers as one flat vector.
template <typename Visit>
Vec GatherBlocks(const Visit& visit) {
  MetaGather gather;
  visit(gather);
  return gather.Result();
}

// The blocks as named tensors of the flat vector.
template <typename Visit>
ParamLayout LayoutOfBlocks(const Visit& visit) {
  MetaLayoutBuilder builder;
  visit(builder);
  return builder.Result();
}

// Overwrites the blocks from `flat`; a size other than the blocks' is an
// Error naming `who` (the updater).
template <typename Visit>
void ScatterBlocks(const Vec& flat, const std::string& who, const Visit& visit) {
  const int expected = LayoutOfBlocks(visit).Size();
  if (flat.size() != expected) {
    throw Error(who + ": " + std::to_string(flat.size()) +
                " meta-parameters given, the architecture has " + std::to_string(expected));
  }
  MetaScatter scatter(flat);
  visit(scatter);
}

}  // namespace mnemo
