// One LSTM layer over a batch of rows (coordinates, or a single run token):
// gates [i, f, g, o] = x Wx^T + b + h Wh^T, then
//   c = logistic(f) c + logistic(i) tanh(g),   h = logistic(o) tanh(c).
// Shared by the coordinate-wise LSTM optimizer and the controller's LSTM
// memory (the baseline of its FAVOR+ memories).
#pragma once

#include <string>

#include "core/math/types.h"
#include "core/optim/dense_layer.h"

namespace mnemo {

// Gate blocks inside the 4*hidden gate columns.
inline constexpr int kLstmInputGate = 0;
inline constexpr int kLstmForgetGate = 1;
inline constexpr int kLstmCellGate = 2;
inline constexpr int kLstmOutputGate = 3;

// The learnable weights of one layer.
struct LstmLayer {
  DenseLayer input;  // Wx and b (4*hidden outputs)
  Mat recurrent;     // Wh, 4*hidden x hidden

  // Zero weights for `inputs` inputs and `hidden` units.
  LstmLayer(int inputs, int hidden);
  // Units per row.
  int Hidden() const { return static_cast<int>(recurrent.cols()); }
  // Advances the rows' hidden and cell states by one step on input `x`
  // (rows x inputs); `gates` is scratch.
  void Advance(const Mat& x, Eigen::Ref<Mat> hidden, Eigen::Ref<Mat> cell, Mat* gates) const;

  // Lists the blocks (`prefix`.input.weight, .input.bias, .recurrent) to a
  // meta-parameter visitor (see core/optim/meta_param_vector.h).
  template <typename Self, typename Visitor>
  static void VisitBlocks(Self& self, const std::string& prefix, Visitor& visit) {
    DenseLayer::VisitBlocks(self.input, prefix + ".input", visit);
    visit(prefix + ".recurrent", self.recurrent);
  }
};

}  // namespace mnemo
