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

Mat RandomWeights(int rows, int cols, double gain, Stream& rng) {
  Mat m(rows, cols);
  const double sd = gain / std::sqrt(static_cast<double>(std::max(1, cols)));
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = sd * rng.Normal();
  }
  return m;
}

void DenseLayer::InitRandom(Stream& rng, double gain) {
  weight = RandomWeights(Outputs(), Inputs(), gain, rng);
  bias.setZero();
}

}  // namespace mnemo
