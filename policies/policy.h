// Policies: maps from an (already normalized) observation to an action,
// evaluated at any flat parameter vector theta.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/math/param_layout.h"
#include "core/math/random_stream.h"
#include "core/math/types.h"
#include "core/util/registry.h"

namespace mnemo {

// What a policy is built from: sizes, action limits and architecture.
struct PolicySpec {
  std::string kind = "linear";  // registry name: linear, mlp, toeplitz
  int obs_dim = 0;              // observation size
  int act_dim = 0;              // action size
  Vec action_low;               // lower control limit per action
  Vec action_high;              // upper control limit per action
  std::vector<int> hidden;      // hidden widths (mlp, toeplitz)
  // Whether Act clips the action to the limits. Off (Gymnasium v5): the
  // environment charges its control cost on the action as given, and MuJoCo
  // clamps the control itself. On: the cost is on the clipped action.
  bool clip_actions = false;
};

// A policy architecture. It holds no parameters: Act takes theta, so one
// Policy serves every candidate of an ES batch, on every worker.
class Policy {
 public:
  virtual ~Policy() = default;

  // The spec it was built from.
  const PolicySpec& Spec() const { return spec_; }
  // Named tensors of theta.
  const ParamLayout& Layout() const { return layout_; }
  // Length of theta.
  int NumParams() const { return layout_.Size(); }
  // Doubles of scratch space Act needs per call site.
  virtual int ScratchSize() const { return 0; }
  // Writes the action for observation `obs` under parameters `theta`
  // (clipped to the action limits when the spec says so). `scratch` has
  // ScratchSize() doubles.
  virtual void Act(const double* theta, const double* obs, double* action,
                   double* scratch) const = 0;
  // A starting theta (zeros for linear policies, as ARS; small random
  // weights for deep ones).
  virtual Vec InitialParams(Stream& rng) const;

 protected:
  explicit Policy(PolicySpec spec) : spec_(std::move(spec)) {}
  // Clips `action` in place to the action limits if the spec says so.
  void ApplyActionLimits(double* action) const;
  // The layout (set once by the constructor of each policy).
  ParamLayout layout_;

 private:
  PolicySpec spec_;
};

// Policies by kind.
using PolicyRegistry = Registry<Policy, const PolicySpec&>;

// Builds the policy of `spec.kind` from `registry`, checking its sizes.
std::unique_ptr<Policy> MakePolicy(const PolicySpec& spec, const PolicyRegistry& registry);
// The same from every shipped policy (policies/policy_list.h).
std::unique_ptr<Policy> MakePolicy(const PolicySpec& spec);

}  // namespace mnemo
