#include "policies/policy_file.h"

#include <cstdio>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

constexpr const char* kFormat = "mnemo-policy";
constexpr int kVersion = 1;

// A JSON array of the vector's elements.
nlohmann::json ToJson(const Vec& v) {
  return nlohmann::json(std::vector<double>(v.data(), v.data() + v.size()));
}

// The vector stored at `key`, with a clear error if absent or mistyped.
Vec VecAt(const nlohmann::json& j, const char* key, const std::string& path) {
  if (!j.contains(key) || !j[key].is_array()) {
    throw Error({path, 0, key}, "policy file lacks a numeric array");
  }
  for (const nlohmann::json& v : j[key]) {
    // A non-finite number is written as null, so a null is one too.
    if (!v.is_number())
      throw Error({path, 0, key}, "must hold finite numbers only, not " + v.dump());
  }
  const auto values = j[key].get<std::vector<double>>();
  return Eigen::Map<const Vec>(values.data(), static_cast<Eigen::Index>(values.size()));
}

// The integer stored at `key`, which must be a JSON integer (not 1.5, not
// 1e300) within [lo, hi]; a clear error otherwise.
std::int64_t IntAt(const nlohmann::json& j, const char* key, const std::string& path,
                   std::int64_t lo, std::int64_t hi) {
  if (!j.contains(key)) throw Error({path, 0, key}, "policy file lacks this integer");
  const nlohmann::json& v = j[key];
  bool in_range = false;
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    in_range =
        u <= static_cast<std::uint64_t>(hi) && (lo <= 0 || u >= static_cast<std::uint64_t>(lo));
  } else if (v.is_number_integer()) {
    const std::int64_t i = v.get<std::int64_t>();
    in_range = i >= lo && i <= hi;
  }
  if (!in_range) {
    throw Error({path, 0, key}, "must be an integer from " + std::to_string(lo) + " to " +
                                    std::to_string(hi) + ", not " + v.dump());
  }
  return v.get<std::int64_t>();
}

// Upper bound on a stored size (observation, action or layer width).
constexpr std::int64_t kMaxSize = 1 << 20;

}  // namespace

void SavePolicy(const SavedPolicy& p, const std::string& path) {
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["task"] = p.task;
  j["kind"] = p.spec.kind;
  j["obs_dim"] = p.spec.obs_dim;
  j["act_dim"] = p.spec.act_dim;
  j["hidden"] = p.spec.hidden;
  j["action_low"] = ToJson(p.spec.action_low);
  j["action_high"] = ToJson(p.spec.action_high);
  j["clip_actions"] = p.spec.clip_actions;
  j["params"] = ToJson(p.params);
  j["normalize"] = p.normalize;
  j["obs_count"] = p.obs_stats.Count();
  j["obs_mean"] = ToJson(p.obs_stats.Mean());
  j["obs_m2"] = ToJson(p.obs_stats.SquaredDeviations());
  WriteFileAtomically(path, j.dump() + "\n");
}

SavedPolicy LoadPolicy(const std::string& path) {
  if (!EntryExists(path)) throw Error({path, 0, ""}, "cannot open policy file");
  // A regular file only: a FIFO or a device is refused, not waited on.
  return ParsePolicy(ReadTextFile(path), path);
}

SavedPolicy ParsePolicy(const std::string& text, const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error({path, 0, ""}, std::string("not a policy file (malformed JSON: ") + e.what() + ")");
  }
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    throw Error({path, 0, ""}, "not a policy file (no \"format\": \"mnemo-policy\")");
  }
  if (!j.contains("version") || j["version"] != kVersion) {
    throw Error({path, 0, "version"}, "unsupported policy file version " +
                                          (j.contains("version") ? j["version"].dump() : "(none)"));
  }
  SavedPolicy p;
  std::unique_ptr<Policy> policy;
  try {
    p.task = j.at("task").get<std::string>();
    p.spec.kind = j.at("kind").get<std::string>();
    p.spec.obs_dim = static_cast<int>(IntAt(j, "obs_dim", path, 1, kMaxSize));
    p.spec.act_dim = static_cast<int>(IntAt(j, "act_dim", path, 1, kMaxSize));
    const nlohmann::json& hidden = j.at("hidden");
    if (!hidden.is_array() || hidden.size() > 64) {
      throw Error({path, 0, "hidden"}, "must be a list of at most 64 layer widths");
    }
    for (std::size_t k = 0; k < hidden.size(); ++k) {
      const nlohmann::json one = {{"hidden", hidden[k]}};
      p.spec.hidden.push_back(static_cast<int>(IntAt(one, "hidden", path, 1, kMaxSize)));
    }
    p.normalize = j.at("normalize").get<bool>();
    const std::int64_t count =
        IntAt(j, "obs_count", path, 0, std::numeric_limits<std::int64_t>::max());
    p.spec.action_low = VecAt(j, "action_low", path);
    p.spec.action_high = VecAt(j, "action_high", path);
    // Files written before the option was recorded clipped their actions.
    p.spec.clip_actions = j.value("clip_actions", true);
    p.params = VecAt(j, "params", path);
    p.obs_stats =
        RunningStats::FromMoments(count, VecAt(j, "obs_mean", path), VecAt(j, "obs_m2", path));
    policy = MakePolicy(p.spec);
  } catch (const nlohmann::json::exception& e) {
    throw Error({path, 0, ""}, std::string("malformed policy file: ") + e.what());
  } catch (const Error& e) {
    if (!e.Where().file.empty()) throw;  // already names the file
    throw Error({path, 0, ""}, e.what());
  }
  if (policy->NumParams() != p.params.size()) {
    throw Error({path, 0, "params"},
                "holds " + std::to_string(p.params.size()) + " parameters; a " + p.spec.kind +
                    " policy of these sizes has " + std::to_string(policy->NumParams()));
  }
  if (p.obs_stats.Dim() != p.spec.obs_dim) {
    throw Error({path, 0, "obs_mean"}, "normalizer size does not match obs_dim");
  }
  return p;
}

void CheckPolicyFits(const SavedPolicy& p, const std::string& path, const std::string& task,
                     int obs_dim, int act_dim) {
  // HalfCheetah and Walker2d have the same sizes: the name must match too.
  if (p.task != task || p.spec.obs_dim != obs_dim || p.spec.act_dim != act_dim) {
    std::ostringstream msg;
    msg << "policy was trained on " << p.task << " (obs " << p.spec.obs_dim << ", act "
        << p.spec.act_dim << ") and does not fit " << task << " (obs " << obs_dim << ", act "
        << act_dim << ")";
    throw Error({path, 0, ""}, msg.str());
  }
}

}  // namespace mnemo
