// The compact structured policy of Choromanski et al. (2018): every weight
// matrix is Toeplitz (constant along diagonals), so an out x in layer has
// in + out - 1 parameters. Hidden layers use tanh; there are no biases.
#include <cmath>

#include "policies/layered_policy.h"
#include "policies/policy_list.h"

namespace mnemo {
namespace {

// y = T x with T[i][j] = t[i - j + in - 1].
void ToeplitzTimes(const double* t, int n_out, int n_in, const double* x, double* y) {
  for (int i = 0; i < n_out; ++i) {
    // Diagonal index i - j + n_in - 1 runs down from i + n_in - 1 as j grows.
    const double* diag = t + i + n_in - 1;
    double sum = 0;
    for (int j = 0; j < n_in; ++j) sum += diag[-j] * x[j];
    y[i] = sum;
  }
}

// h_{l+1} = tanh(T_l h_l); action = T_L h_L (clipped if the spec says so).
class ToeplitzPolicy final : public LayeredPolicy {
 public:
  explicit ToeplitzPolicy(const PolicySpec& spec) : LayeredPolicy(spec) {
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
      layout_.Add("layer" + std::to_string(l) + ".diagonals", widths_[l] + widths_[l + 1] - 1, 1);
    }
  }

  void ApplyLayer(int l, const double* theta, const double* in, double* out) const override {
    ToeplitzTimes(theta + Layout().Tensors()[l].offset, widths_[l + 1], widths_[l], in, out);
  }

  Vec InitialParams(Stream& rng) const override {
    // Hidden diagonals ~ N(0, 1/fan_in); the output layer starts at zero.
    Vec theta = Vec::Zero(NumParams());
    const auto& tensors = Layout().Tensors();
    for (std::size_t l = 0; l + 1 < tensors.size(); ++l) {
      const double scale = 1.0 / std::sqrt(static_cast<double>(widths_[l]));
      for (int i = 0; i < tensors[l].Size(); ++i) {
        theta[tensors[l].offset + i] = scale * rng.Normal();
      }
    }
    return theta;
  }
};

}  // namespace

PolicyRegistry::Entry ToeplitzPolicyEntry() {
  // 2: actions are no longer clipped by default (the control cost is on the
  // action as given, as in Gymnasium v5) (2026-12-05).
  return {"toeplitz", "Toeplitz layers, in+out-1 parameters each (Choromanski et al. 2018)",
          [](const PolicySpec& s) { return std::make_unique<ToeplitzPolicy>(s); }, 2};
}

}  // namespace mnemo
