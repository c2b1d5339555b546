// The linear policy of ARS: action = M obs (clipped if the spec says so), M of
// size act x obs.
#include "policies/policy.h"
#include "policies/policy_list.h"

namespace mnemo {
namespace {

// action = M obs; theta holds M row-major.
class LinearPolicy final : public Policy {
 public:
  explicit LinearPolicy(const PolicySpec& spec) : Policy(spec) {
    layout_.Add("weight", spec.act_dim, spec.obs_dim);
  }

  void Act(const double* theta, const double* obs, double* action, double*) const override {
    const int in = Spec().obs_dim;
    const int out = Spec().act_dim;
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> weight(
        theta, out, in);
    Eigen::Map<Vec>(action, out).noalias() = weight * Eigen::Map<const Vec>(obs, in);
    ApplyActionLimits(action);
  }
};

}  // namespace

PolicyRegistry::Entry LinearPolicyEntry() {
  // 2: actions are no longer clipped by default (the control cost is on the
  // action as given, as in Gymnasium v5) (2026-12-05).
  return {"linear", "action = M obs (ARS)",
          [](const PolicySpec& s) { return std::make_unique<LinearPolicy>(s); }, 2};
}

}  // namespace mnemo
