#include "core/meta/tasks/task_family.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/io/create_from_config.h"

namespace mnemo {

std::unique_ptr<TaskFamily> MakeTaskFamily(const TaskFamilyRegistry& registry,
                                           const ConfigNode& config,
                                           const std::string& default_type) {
  return CreateFromConfig(registry, "task family", config, default_type);
}

void AllowFamilyKeys(const ConfigNode& config, std::vector<std::string> own) {
  own.push_back("type");
  own.push_back("weight");
  own.push_back("unroll");
  config.AllowOnly(own);
}

double LogRange::Sample(Stream& rng) const {
  if (hi <= lo) return lo;
  return std::exp(rng.Uniform(std::log(lo), std::log(hi)));
}

int LogRange::SampleInt(Stream& rng) const {
  const double x = std::exp(rng.Uniform(std::log(lo), std::log(hi + 1.0)));
  return static_cast<int>(std::clamp(std::floor(x), lo, hi));
}

LogRange GetLogRange(const ConfigNode& config, const std::string& key, LogRange fallback,
                     double lo_limit, double hi_limit) {
  if (!config.Has(key)) return fallback;
  const YAML::Node node = config.Yaml()[key];
  LogRange range;
  try {
    if (node.IsScalar()) {
      range.lo = range.hi = node.as<double>();
    } else if (node.IsSequence() && node.size() == 2) {
      range.lo = node[0].as<double>();
      range.hi = node[1].as<double>();
    } else {
      throw config.ErrorAt(key, "expected a number or a list [lo, hi]");
    }
  } catch (const YAML::Exception&) {
    throw config.ErrorAt(key, "expected a number or a list [lo, hi]");
  }
  if (!(range.lo >= lo_limit && range.lo <= range.hi && range.hi <= hi_limit && range.lo > 0.0)) {
    throw config.ErrorAt(key, "expected " + std::to_string(lo_limit) +
                                  " <= lo <= hi <= " + std::to_string(hi_limit));
  }
  return range;
}

std::vector<std::string> GetNameList(const ConfigNode& config, const std::string& key,
                                     const std::vector<std::string>& fallback,
                                     const std::vector<std::string>& allowed) {
  if (!config.Has(key)) return fallback;
  const YAML::Node node = config.Yaml()[key];
  if (!node.IsSequence() || node.size() == 0) {
    throw config.ErrorAt(key, "expected a non-empty list of names");
  }
  std::vector<std::string> names;
  for (const YAML::Node& item : node) {
    const std::string name = item.IsScalar() ? item.Scalar() : "";
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (const std::string& a : allowed) {
        if (!known.empty()) known += ", ";
        known += a;
      }
      throw config.ErrorAt(key, "unknown name '" + name + "' (known: " + known + ")");
    }
    names.push_back(name);
  }
  return names;
}

EstimatorDraw::EstimatorDraw(const ConfigNode& family) : estimator_(family.Child("estimator")) {
  drawn_ = family.Has("step_sizes");
  step_sizes_ = GetLogRange(family, "step_sizes", {}, 1e-12, 1e6);
  MakeGradientEstimator(estimator_);
}

std::unique_ptr<GradientEstimator> EstimatorDraw::Make(Stream& rng) const {
  if (!drawn_) return MakeGradientEstimator(estimator_);
  char value[32];
  std::snprintf(value, sizeof value, "%.17g", step_sizes_.Sample(rng));
  return MakeGradientEstimator(ConfigWithKey(estimator_, "step_size", value));
}

}  // namespace mnemo
