#include "core/optim/meta_param_vector.h"

namespace mnemo {

void MetaGather::operator()(const std::string& /*name*/, const Mat& block) {
  for (Eigen::Index r = 0; r < block.rows(); ++r) {
    for (Eigen::Index c = 0; c < block.cols(); ++c) {
      values_.push_back(block(r, c));
    }
  }
}

void MetaGather::operator()(const std::string& /*name*/, const Vec& block) {
  values_.insert(values_.end(), block.data(), block.data() + block.size());
}

Vec MetaGather::Result() const {
  return Eigen::Map<const Vec>(values_.data(), static_cast<Eigen::Index>(values_.size()));
}

void MetaScatter::operator()(const std::string& /*name*/, Mat& block) {
  for (Eigen::Index r = 0; r < block.rows(); ++r) {
    for (Eigen::Index c = 0; c < block.cols(); ++c) {
      block(r, c) = flat_[next_++];
    }
  }
}

void MetaScatter::operator()(const std::string& /*name*/, Vec& block) {
  block = flat_.segment(next_, block.size());
  next_ += static_cast<int>(block.size());
}

void MetaLayoutBuilder::operator()(const std::string& name, const Mat& block) {
  layout_.Add(name, static_cast<int>(block.rows()), static_cast<int>(block.cols()));
}

void MetaLayoutBuilder::operator()(const std::string& name, const Vec& block) {
  layout_.Add(name, static_cast<int>(block.size()), 1);
}

}  // namespace mnemo
