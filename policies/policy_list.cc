#include "policies/policy_list.h"

namespace mnemo {

const PolicyRegistry& Policies() {
  static const PolicyRegistry registry(
      {LinearPolicyEntry(), MlpPolicyEntry(), ToeplitzPolicyEntry()});
  return registry;
}

}  // namespace mnemo
