// The common part of the deep policies (MLP, Toeplitz): a stack of layers
// from the observation to the action, tanh between them, evaluated in two
// ping-pong scratch buffers.
#pragma once

#include <vector>

#include "policies/policy.h"

namespace mnemo {

// h_{l+1} = tanh(L_l(h_l)); action = L_last(h_last) (clipped if the spec
// says so), where each subclass says what a layer L_l computes from its
// tensors in theta.
class LayeredPolicy : public Policy {
 public:
  int ScratchSize() const final;
  void Act(const double* theta, const double* obs, double* action, double* scratch) const final;

 protected:
  // Widths obs, spec.hidden..., act.
  explicit LayeredPolicy(const PolicySpec& spec);
  // Writes layer `l`'s pre-activation (widths_[l + 1] numbers) for input
  // `in` (widths_[l] numbers) under parameters `theta`.
  virtual void ApplyLayer(int l, const double* theta, const double* in, double* out) const = 0;

  std::vector<int> widths_;  // obs, hidden..., act
};

}  // namespace mnemo
