// A multilayer perceptron: tanh hidden layers, a linear output layer.
#include <cmath>

#include "policies/layered_policy.h"
#include "policies/policy_list.h"

namespace mnemo {
namespace {

// Row-major weight matrix view over theta.
using RowMajorMap =
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

// h_{l+1} = tanh(W_l h_l + b_l); action = W_L h_L + b_L (clipped if the spec says so).
class MlpPolicy final : public LayeredPolicy {
 public:
  explicit MlpPolicy(const PolicySpec& spec) : LayeredPolicy(spec) {
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
      const std::string prefix = "layer" + std::to_string(l);
      layout_.Add(prefix + ".weight", widths_[l + 1], widths_[l]);
      layout_.Add(prefix + ".bias", widths_[l + 1], 1);
    }
  }

  void ApplyLayer(int l, const double* theta, const double* in, double* out) const override {
    const int n_in = widths_[l];
    const int n_out = widths_[l + 1];
    const auto& tensors = Layout().Tensors();
    RowMajorMap weight(theta + tensors[2 * l].offset, n_out, n_in);
    Eigen::Map<const Vec> bias(theta + tensors[2 * l + 1].offset, n_out);
    Eigen::Map<Vec> y(out, n_out);
    y.noalias() = weight * Eigen::Map<const Vec>(in, n_in);
    y += bias;
  }

  Vec InitialParams(Stream& rng) const override {
    // Weights ~ N(0, 1/fan_in) (LeCun), biases zero; the output layer starts
    // at zero so the first policy is the zero action, as ARS's.
    Vec theta = Vec::Zero(NumParams());
    const auto& tensors = Layout().Tensors();
    for (std::size_t t = 0; t + 2 < tensors.size(); t += 2) {
      const double scale = 1.0 / std::sqrt(static_cast<double>(tensors[t].cols));
      for (int i = 0; i < tensors[t].Size(); ++i) {
        theta[tensors[t].offset + i] = scale * rng.Normal();
      }
    }
    return theta;
  }
};

}  // namespace

PolicyRegistry::Entry MlpPolicyEntry() {
  // 2: actions are no longer clipped by default (the control cost is on the
  // action as given, as in Gymnasium v5) (2026-12-05).
  return {"mlp", "tanh MLP (hidden widths configurable)",
          [](const PolicySpec& s) { return std::make_unique<MlpPolicy>(s); }, 2};
}

}  // namespace mnemo
