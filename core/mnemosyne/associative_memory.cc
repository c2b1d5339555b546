#include "core/mnemosyne/associative_memory.h"

#include <string>

#include "core/util/error.h"

namespace mnemo {

AssociativeMemory::AssociativeMemory(int slots, int features, int value_dim, double discount)
    : value_dim_(value_dim),
      discount_(discount),
      s_(Mat::Zero(slots, static_cast<Eigen::Index>(features) * value_dim)),
      z_(Mat::Zero(slots, features)) {}

void AssociativeMemory::Clear() {
  s_.setZero();
  z_.setZero();
}

void AssociativeMemory::Write(int first, const Eigen::Ref<const Mat>& key_features,
                              const Eigen::Ref<const Mat>& values) {
  const Eigen::Index n = key_features.rows();
  const int m = Features();
  auto z = z_.middleRows(first, n);
  z = discount_ * z + key_features;
  for (int c = 0; c < value_dim_; ++c) {
    auto s = s_.block(first, static_cast<Eigen::Index>(c) * m, n, m);
    s.array() = discount_ * s.array() + key_features.array().colwise() * values.col(c).array();
  }
}

void AssociativeMemory::Read(int first, const Eigen::Ref<const Mat>& query_features, double eps,
                             Eigen::Ref<Mat> out) const {
  const Eigen::Index n = query_features.rows();
  const int m = Features();
  const Eigen::ArrayXd denominator =
      (z_.middleRows(first, n).array() * query_features.array()).rowwise().sum() + eps;
  for (int c = 0; c < value_dim_; ++c) {
    const auto s = s_.block(first, static_cast<Eigen::Index>(c) * m, n, m);
    out.col(c).array() = (s.array() * query_features.array()).rowwise().sum() / denominator;
  }
}

Mat AssociativeMemory::MatrixOf(int slot) const { return MeanMatrix(slot, 1); }

Vec AssociativeMemory::NormalizerOf(int slot) const { return z_.row(slot).transpose(); }

Mat AssociativeMemory::MeanMatrix(int first, int n) const {
  const int m = Features();
  Mat out(m, value_dim_);
  for (int c = 0; c < value_dim_; ++c) {
    out.col(c) =
        s_.block(first, static_cast<Eigen::Index>(c) * m, n, m).colwise().mean().transpose();
  }
  return out;
}

void AssociativeMemory::Save(BinaryWriter& out) const {
  out.WriteMat(s_);
  out.WriteMat(z_);
}

void AssociativeMemory::Load(BinaryReader& in) {
  Mat s = in.ReadMat();
  Mat z = in.ReadMat();
  if (s.rows() != s_.rows() || s.cols() != s_.cols() || z.rows() != z_.rows() ||
      z.cols() != z_.cols()) {
    throw Error("associative memory state has shape " + std::to_string(z.rows()) + "x" +
                std::to_string(z.cols()) + ", expected " + std::to_string(z_.rows()) + "x" +
                std::to_string(z_.cols()));
  }
  s_ = std::move(s);
  z_ = std::move(z);
}

}  // namespace mnemo
