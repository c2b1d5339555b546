#include "core/meta/tasks/mlp.h"

#include <cmath>
#include <string>

namespace mnemo {
namespace {

// A row-major view of a weight matrix inside theta.
using RowMajorMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

Mlp::Mlp(const MlpShape& shape) : shape_(shape) {
  widths_.push_back(shape.inputs);
  for (int w : shape.hidden) widths_.push_back(w);
  widths_.push_back(shape.outputs);
  for (int l = 0; l < Layers(); ++l) {
    const std::string name = "layer" + std::to_string(l);
    layout_.Add(name + ".weight", widths_[l + 1], widths_[l]);
    layout_.Add(name + ".bias", widths_[l + 1]);
  }
}

std::vector<Mat> Mlp::Activations(const Vec& theta, const Mat& x) const {
  std::vector<Mat> a(Layers() + 1);
  a[0] = x;
  for (int l = 0; l < Layers(); ++l) {
    const TensorSlice& w = layout_.Tensors()[2 * l];
    const TensorSlice& b = layout_.Tensors()[2 * l + 1];
    Eigen::Map<const RowMajorMat> weight(theta.data() + w.offset, w.rows, w.cols);
    Eigen::Map<const Vec> bias(theta.data() + b.offset, b.rows);
    a[l + 1] = a[l] * weight.transpose();
    a[l + 1].rowwise() += bias.transpose();
    if (l + 1 < Layers()) a[l + 1] = a[l + 1].array().tanh().matrix();
  }
  return a;
}

Mat Mlp::Forward(const Vec& theta, const Mat& x) const { return Activations(theta, x).back(); }

double Mlp::Loss(const Vec& theta, const Mat& x, const Mat& targets, MlpLoss kind,
                 Vec* gradient) const {
  const int layers = Layers();
  const double rows = static_cast<double>(x.rows());
  const std::vector<Mat> a = Activations(theta, x);
  // The loss and its derivative with respect to the outputs.
  const Mat& out = a[layers];
  Mat delta;
  double loss = 0.0;
  if (kind == MlpLoss::kSquared) {
    delta = out - targets;
    loss = 0.5 * delta.squaredNorm() / rows;
  } else {
    const Eigen::VectorXd max = out.rowwise().maxCoeff();
    Mat shifted = out.colwise() - max;
    Mat e = shifted.array().exp().matrix();
    const Eigen::VectorXd sums = e.rowwise().sum();
    const Eigen::ArrayXd log_sums = sums.array().log();
    loss = -((shifted.array().colwise() - log_sums) * targets.array()).sum() / rows;
    delta = (e.array().colwise() / sums.array()).matrix() - targets;
  }
  if (gradient == nullptr) return loss;
  delta /= rows;
  gradient->setZero(Size());
  for (int l = layers - 1; l >= 0; --l) {
    const TensorSlice& w = layout_.Tensors()[2 * l];
    const TensorSlice& b = layout_.Tensors()[2 * l + 1];
    Eigen::Map<RowMajorMat> dweight(gradient->data() + w.offset, w.rows, w.cols);
    Eigen::Map<Vec> dbias(gradient->data() + b.offset, b.rows);
    dweight.noalias() = delta.transpose() * a[l];
    dbias = delta.colwise().sum().transpose();
    if (l > 0) {
      Eigen::Map<const RowMajorMat> weight(theta.data() + w.offset, w.rows, w.cols);
      Mat back = delta * weight;
      delta = (back.array() * (1.0 - a[l].array().square())).matrix();
    }
  }
  return loss;
}

Vec Mlp::RandomParams(Stream& rng, double gain) const {
  Vec theta = Vec::Zero(Size());
  for (int l = 0; l < Layers(); ++l) {
    const TensorSlice& w = layout_.Tensors()[2 * l];
    const double sd = gain / std::sqrt(static_cast<double>(w.cols));
    for (int i = 0; i < w.Size(); ++i) theta[w.offset + i] = sd * rng.Normal();
  }
  return theta;
}

}  // namespace mnemo
