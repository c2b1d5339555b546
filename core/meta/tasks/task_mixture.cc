#include "core/meta/tasks/task_mixture.h"

namespace mnemo {

TaskMixture::TaskMixture(const ConfigNode& families, const TaskFamilyRegistry& registry) {
  const YAML::Node& node = families.Yaml();
  double total = 0.0;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string label = it->first.as<std::string>();
    const ConfigNode section = families.Child(label);
    const double weight = section.GetDouble("weight", 1.0, 0.0, 1e9);
    labels_.push_back(label);
    families_.push_back(MakeTaskFamily(registry, section, label));
    unrolls_.push_back(section.Has("unroll")
                           ? std::optional(GetLogRange(section, "unroll", {}, 1, 1e9))
                           : std::nullopt);
    total += weight;
    cumulative_.push_back(total);
  }
  if (families_.empty() || !(total > 0.0)) {
    throw Error({families.File(), 0, families.Path()},
                "needs at least one task family with a positive weight");
  }
  for (double& c : cumulative_) c /= total;
}

int TaskMixture::DrawFamily(Stream& rng) const {
  const double u = rng.Uniform();
  for (int i = 0; i < Size(); ++i) {
    if (u < cumulative_[i]) return i;
  }
  return Size() - 1;
}

LogRange TaskMixture::Unroll(int i, LogRange fallback) const {
  return unrolls_[i] ? *unrolls_[i] : fallback;
}

std::unique_ptr<MetaTask> TaskMixture::Sample(int i, std::uint64_t seed) const {
  return families_[i]->Sample(seed);
}

}  // namespace mnemo
