// Small multilayer perceptrons (tanh hidden layers, linear output) with a
// loss and its exact gradient by hand-written backpropagation: the inner
// networks of the MLP task family. Parameters live in one flat vector.
#pragma once

#include <vector>

#include "core/math/param_layout.h"
#include "core/math/random_stream.h"
#include "core/math/types.h"

namespace mnemo {

// Widths of an MLP.
struct MlpShape {
  int inputs = 1;           // input features
  std::vector<int> hidden;  // hidden widths (tanh)
  int outputs = 1;          // outputs (linear)
};

// What the outputs are trained for.
enum class MlpLoss {
  kSquared,       // 0.5 |output - target|^2, averaged over rows
  kCrossEntropy,  // softmax cross-entropy with one-hot targets, averaged
};

// An MLP architecture evaluated at any flat parameter vector theta. Layer l
// holds "layer<l>.weight" (outputs x inputs, row-major) then "layer<l>.bias".
class Mlp {
 public:
  // The architecture of `shape`.
  explicit Mlp(const MlpShape& shape);

  // Named tensors of theta.
  const ParamLayout& Layout() const { return layout_; }
  // Length of theta.
  int Size() const { return layout_.Size(); }
  // The widths.
  const MlpShape& Shape() const { return shape_; }

  // The outputs (rows x outputs) for the rows of `x`.
  Mat Forward(const Vec& theta, const Mat& x) const;
  // The loss averaged over the rows of `x` and, when `gradient` is not null,
  // its exact gradient with respect to theta.
  double Loss(const Vec& theta, const Mat& x, const Mat& targets, MlpLoss kind,
              Vec* gradient) const;
  // Weights N(0, gain^2 / fan-in) from `rng`, zero biases.
  Vec RandomParams(Stream& rng, double gain) const;

 private:
  // Number of layers (hidden + output).
  int Layers() const { return static_cast<int>(widths_.size()) - 1; }
  // The forward pass keeping every layer's activations: x, then each
  // layer's output (tanh for hidden layers, linear for the last).
  std::vector<Mat> Activations(const Vec& theta, const Mat& x) const;

  MlpShape shape_;
  std::vector<int> widths_;  // inputs, hidden..., outputs
  ParamLayout layout_;
};

}  // namespace mnemo
