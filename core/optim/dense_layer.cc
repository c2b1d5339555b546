#include "core/optim/dense_layer.h"

#include <algorithm>
#include <cmath>

#include "core/optim/activations.h"

namespace mnemo {

void DenseLayer::Forward(const Eigen::Ref<const Mat>& x, bool use_tanh, Mat* y) const {
  y->resize(x.rows(), weight.rows());
  Forward(x, use_tanh, Eigen::Ref<Mat>(*y));
}

void DenseLayer::Forward(const Eigen::Ref<const Mat>& x, bool use_tanh, Eigen::Ref<Mat> y) const {
  y.noalias() = x * weight.transpose();
  y.rowwise() += bias.transpose();
  if (use_tanh) y.array() = Tanh(y.array());
}

void DenseLayer::InitRandom(Stream& rng, double gain) {
  const double sd = gain / std::sqrt(std::max(1, Inputs()));
  for (Eigen::Index r = 0; r < weight.rows(); ++r) {
    for (Eigen::Index c = 0; c < weight.cols(); ++c) {
      weight(r, c) = sd * rng.Normal();
    }
  }
  bias.setZero();
}

}  // namespace mnemo
