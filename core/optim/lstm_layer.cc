#include "core/optim/lstm_layer.h"

#include "core/optim/activations.h"

namespace mnemo {

LstmLayer::LstmLayer(int inputs, int hidden)
    : input(inputs, 4 * hidden), recurrent(Mat::Zero(4 * hidden, hidden)) {}

void LstmLayer::Advance(const Mat& x, Eigen::Ref<Mat> hidden, Eigen::Ref<Mat> cell,
                        Mat* gates) const {
  const int h = Hidden();
  input.Forward(x, /*use_tanh=*/false, gates);
  gates->noalias() += hidden * recurrent.transpose();
  auto g = gates->array();
  cell.array() =
      Logistic(g.middleCols(kLstmForgetGate * h, h)) * cell.array() +
      Logistic(g.middleCols(kLstmInputGate * h, h)) * Tanh(g.middleCols(kLstmCellGate * h, h));
  hidden.array() = Logistic(g.middleCols(kLstmOutputGate * h, h)) * Tanh(cell.array());
}

}  // namespace mnemo
