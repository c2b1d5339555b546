// A fully connected layer applied to a batch of rows (one row per
// coordinate), the building block of the learned updaters' networks.
#pragma once

#include <string>

#include "core/math/random_stream.h"
#include "core/math/types.h"

namespace mnemo {

// A rows x cols matrix of N(0, gain^2 / cols) numbers from `rng`, drawn row
// by row.
Mat RandomWeights(int rows, int cols, double gain, Stream& rng);

// y = act(x W^T + b) for every row x of a batch; act is tanh or identity.
struct DenseLayer {
  Mat weight;  // outputs x inputs
  Vec bias;    // outputs

  // A zero layer of the given widths.
  DenseLayer(int inputs = 0, int outputs = 0)
      : weight(Mat::Zero(outputs, inputs)), bias(Vec::Zero(outputs)) {}

  // Number of inputs.
  int Inputs() const { return static_cast<int>(weight.cols()); }
  // Number of outputs.
  int Outputs() const { return static_cast<int>(weight.rows()); }

  // Writes act(x W^T + b) into y (resized to x.rows() x Outputs()).
  void Forward(const Eigen::Ref<const Mat>& x, bool use_tanh, Mat* y) const;
  // The same into a block `y` that already has x.rows() x Outputs() entries.
  void Forward(const Eigen::Ref<const Mat>& x, bool use_tanh, Eigen::Ref<Mat> y) const;

  // Fills the weights with N(0, gain^2 / Inputs()) numbers drawn from `rng`
  // and sets the biases to zero.
  void InitRandom(Stream& rng, double gain);

  // Lists the weight and bias, as "<prefix>.weight" and "<prefix>.bias", to
  // a meta-parameter visitor (see meta_params.h).
  template <typename Self, typename Visitor>
  static void VisitBlocks(Self& layer, const std::string& prefix, Visitor& visit) {
    visit(prefix + ".weight", layer.weight);
    visit(prefix + ".bias", layer.bias);
  }
};

}  // namespace mnemo
