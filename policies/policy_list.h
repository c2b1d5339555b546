// The list of policy architectures: a new one is one file and one line here.
#pragma once

#include "policies/policy.h"

namespace mnemo {

// Every policy architecture, by kind.
const PolicyRegistry& Policies();

// The entries, each defined next to its policy.
PolicyRegistry::Entry LinearPolicyEntry();
PolicyRegistry::Entry MlpPolicyEntry();
PolicyRegistry::Entry ToeplitzPolicyEntry();

}  // namespace mnemo
