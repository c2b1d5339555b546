// Building a listed implementation from the config section that names it
// (`type: ars`), with errors that point at the section's `type` key.
#pragma once

#include <memory>
#include <string>

#include "core/io/config_node.h"
#include "core/util/error.h"

namespace mnemo {

// Builds the implementation of `registry` (a Registry whose factories take
// the config section) named by `config`'s `type` key, `default_type` when
// absent. An unknown type is an Error at `type` listing the known ones
// (`kind_label` names the kind: "gradient estimator", "updater", ...); errors
// of a known implementation's own keys pass through unchanged.
template <typename RegistryType>
auto CreateFromConfig(const RegistryType& registry, const std::string& kind_label,
                      const ConfigNode& config, const std::string& default_type) {
  const std::string type = config.GetString("type", default_type);
  try {
    return registry.Create(kind_label, type, config);
  } catch (const Error& e) {
    if (registry.Has(type)) throw;
    throw config.ErrorAt("type", e.what());
  }
}

}  // namespace mnemo
