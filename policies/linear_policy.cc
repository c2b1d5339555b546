// The linear policy of ARS: action = clip(M obs), M of size act x obs.
#include "policies/policy.h"
#include "policies/policy_list.h"

namespace mnemo {
namespace {

// action = clip(M obs); theta holds M row-major.
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
    ClipAction(action);
  }
};

}  // namespace

PolicyRegistry::Entry LinearPolicyEntry() {
  return {"linear", "action = M obs (ARS)",
          [](const PolicySpec& s) { return std::make_unique<LinearPolicy>(s); }};
}

}  // namespace mnemo
