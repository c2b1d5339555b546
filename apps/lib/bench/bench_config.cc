#include "apps/lib/bench/bench_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "core/io/config_node.h"
#include "core/parallel/thread_pool.h"
#include "envs/task.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// Key of a method's config map that serves every task not named in it.
constexpr const char* kDefaultTaskKey = "default";

// The keys of a mapping, in file order; a key given twice is an error.
std::vector<std::string> KeysOf(const ConfigNode& node) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto& kv : node.Yaml()) {
    const std::string key = kv.first.as<std::string>();
    if (!seen.insert(key).second) throw node.ErrorAt(key, "key given twice");
    keys.push_back(key);
  }
  return keys;
}

// A list of "key=value" overrides at `key`, checked for shape.
std::vector<std::string> OverrideList(const ConfigNode& node, const std::string& key) {
  std::vector<std::string> out = node.GetStringList(key, {});
  for (const std::string& o : out) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw node.ErrorAt(key, "'" + o + "': expected key=value (e.g. train.eval_every=5)");
    }
  }
  return out;
}

// A config path from the bench file, made absolute: next to the bench file
// first, then in the repository.
std::string ResolvePath(const ConfigNode& node, const std::string& key, const std::string& value,
                        const std::string& base_dir) {
  const fs::path p(value);
  try {
    if (p.is_absolute()) {
      if (!fs::exists(p)) throw node.ErrorAt(key, "file not found: " + value);
      return p.string();
    }
    const fs::path beside = fs::path(base_dir) / p;
    if (fs::exists(beside)) return beside.lexically_normal().string();
    const fs::path in_repo = fs::path(MNEMO_SOURCE_DIR) / p;
    if (fs::exists(in_repo)) return in_repo.lexically_normal().string();
  } catch (const fs::filesystem_error& e) {
    // A name too long for the file system, a link loop: a refusal at the key.
    throw node.ErrorAt(key, "cannot use the path: " + e.code().message());
  }
  throw node.ErrorAt(key, "file not found: " + value + " (looked in " + base_dir + " and in " +
                              MNEMO_SOURCE_DIR + ")");
}

// Whether `id` is usable as a folder name: letters, digits, '_', '-', '.'.
bool IsFolderName(const std::string& id) {
  if (id.empty() || id[0] == '.') return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The `seeds` list of `node`: at least one, none twice.
std::vector<std::uint64_t> ReadSeeds(const ConfigNode& node) {
  std::vector<std::uint64_t> seeds;
  std::set<long long> seen;
  for (long long s : node.GetIntList("seeds", {}, 0, 1LL << 62)) {
    if (!seen.insert(s).second) {
      throw node.ErrorAt("seeds", "seed " + std::to_string(s) + " is listed twice");
    }
    seeds.push_back(static_cast<std::uint64_t>(s));
  }
  if (seeds.empty()) throw node.ErrorAt("seeds", "list at least one seed");
  return seeds;
}

// Reads the `tasks` mapping.
std::vector<BenchTask> ReadTasks(const ConfigNode& root) {
  if (!root.Has("tasks")) throw root.ErrorAt("tasks", "required key is missing");
  const ConfigNode tasks = root.Child("tasks");
  std::vector<BenchTask> out;
  for (const std::string& name : KeysOf(tasks)) {
    if (!Tasks().Has(name)) {
      std::string known;
      for (const auto& e : Tasks().Entries()) {
        if (!known.empty()) known += ", ";
        known += e.name;
      }
      throw tasks.ErrorAt(name, "unknown task (known: " + known + ")");
    }
    const ConfigNode t = tasks.Child(name);
    t.AllowOnly({"max_episodes", "threshold", "eval_every_episodes", "seeds", "set"});
    BenchTask task;
    task.name = name;
    if (!t.Has("max_episodes")) throw t.ErrorAt("max_episodes", "required key is missing");
    task.max_episodes = t.GetInt("max_episodes", 0, 1);
    task.published_threshold = !t.Has("threshold");
    task.threshold = task.published_threshold ? MakeTask(name)->Spec().solved_threshold
                                              : t.GetDouble("threshold", 0, 1e-9, 1e12);
    task.eval_every_episodes = t.GetInt("eval_every_episodes", 0, 0);
    task.overrides = OverrideList(t, "set");
    if (t.Has("seeds")) task.seeds = ReadSeeds(t);
    out.push_back(std::move(task));
  }
  if (out.empty()) throw root.ErrorAt("tasks", "list at least one task");
  return out;
}

// Reads one method's `config`: one path, or a mapping task -> path.
void ReadMethodConfig(const ConfigNode& m, const std::string& base_dir, BenchMethod* method) {
  if (!m.Has("config")) throw m.ErrorAt("config", "required key is missing");
  const YAML::Node value = m.Yaml()["config"];
  if (value.IsScalar()) {
    method->default_config = ResolvePath(m, "config", m.GetString("config", ""), base_dir);
    return;
  }
  if (!value.IsMap()) throw m.ErrorAt("config", "expected a path or a mapping task: path");
  const ConfigNode map = m.Child("config");
  for (const std::string& task : KeysOf(map)) {
    if (task != kDefaultTaskKey && !Tasks().Has(task)) {
      throw map.ErrorAt(task, "unknown task (a key here is a task name or 'default')");
    }
    const std::string path = ResolvePath(map, task, map.GetString(task, ""), base_dir);
    if (task == kDefaultTaskKey) {
      method->default_config = path;
    } else {
      method->config_per_task[task] = path;
    }
  }
}

// Reads the `methods` mapping; every enabled method needs a config per task.
std::vector<BenchMethod> ReadMethods(const ConfigNode& root, const std::string& base_dir,
                                     const std::vector<BenchTask>& tasks) {
  if (!root.Has("methods")) throw root.ErrorAt("methods", "required key is missing");
  const ConfigNode methods = root.Child("methods");
  std::vector<BenchMethod> out;
  for (const std::string& id : KeysOf(methods)) {
    if (!IsFolderName(id)) {
      throw methods.ErrorAt(id, "a method id names its folder: use letters, digits, _ - .");
    }
    const ConfigNode m = methods.Child(id);
    m.AllowOnly({"label", "config", "set", "enabled"});
    BenchMethod method;
    method.id = id;
    method.base_id = id;
    method.label = m.GetString("label", id);
    method.enabled = m.GetBool("enabled", true);
    method.overrides = OverrideList(m, "set");
    const Error at = methods.ErrorAt(id, "");
    method.where = at.Where();
    ReadMethodConfig(m, base_dir, &method);
    if (method.enabled) {
      for (const BenchTask& t : tasks) {
        if (method.default_config.empty() && !method.config_per_task.count(t.name)) {
          throw m.ErrorAt("config",
                          "no config for task " + t.name + " (name it, or give a 'default')");
        }
      }
    }
    out.push_back(std::move(method));
  }
  bool any = false;
  for (const BenchMethod& m : out) any = any || m.enabled;
  if (!any) throw root.ErrorAt("methods", "no enabled method");
  return out;
}

// "x1/4" for a scale below 1 whose inverse is a whole number, else "x<m>".
std::string ScaleText(double scale) {
  char buf[48];
  const double inverse = 1.0 / scale;
  if (scale < 1 && inverse == std::round(inverse)) {
    std::snprintf(buf, sizeof buf, "x1/%g", inverse);
  } else {
    std::snprintf(buf, sizeof buf, "x%g", scale);
  }
  return buf;
}

// Reads `step_size_scales` and `reference_method`, and replaces every method
// by one per scale.
void ReadStepSizeScales(const ConfigNode& root, BenchConfig* c) {
  if (!root.Has("step_size_scales")) {
    if (root.Has("reference_method")) {
      throw root.ErrorAt("reference_method", "needs step_size_scales");
    }
    return;
  }
  c->step_size_scales = root.GetDoubleList("step_size_scales", {}, 1e-3, 1e3);
  std::set<std::string> ids;
  for (double m : c->step_size_scales) {
    if (!ids.insert(ScaledMethodId("", m)).second) {
      throw root.ErrorAt("step_size_scales", "scale " + ScaleText(m) + " is listed twice");
    }
  }
  if (c->step_size_scales.empty()) throw root.ErrorAt("step_size_scales", "list at least one");
  c->reference_method = root.GetString("reference_method", "");
  if (!c->reference_method.empty()) {
    const bool known = std::any_of(c->methods.begin(), c->methods.end(), [&](const BenchMethod& m) {
      return m.id == c->reference_method && m.enabled;
    });
    if (!known) throw root.ErrorAt("reference_method", "not an enabled method of the bench");
    if (!ids.count(ScaledMethodId("", 1.0))) {
      throw root.ErrorAt("reference_method", "the reference runs at scale 1: list 1 in the scales");
    }
  }
  std::vector<BenchMethod> scaled;
  std::set<std::string> scaled_ids;
  for (const BenchMethod& method : c->methods) {
    for (double m : c->step_size_scales) {
      BenchMethod copy = method;
      copy.id = ScaledMethodId(method.id, m);
      if (!scaled_ids.insert(copy.id).second) {
        throw Error(method.where, "method id " + copy.id + " is also another method's at a scale");
      }
      copy.step_size_scale = m;
      if (m != 1) copy.label += " (alpha " + ScaleText(m) + ")";
      scaled.push_back(std::move(copy));
    }
  }
  c->methods = std::move(scaled);
}

// Reads a whole bench file.
BenchConfig FromNode(const ConfigNode& root, const std::string& base_dir) {
  root.AllowOnly({"out", "seeds", "threads", "jobs", "set", "step_size_scales", "reference_method",
                  "tasks", "methods"});
  BenchConfig c;
  c.source = root.File();
  c.out = root.GetString("out", "");
  if (!root.Has("seeds")) throw root.ErrorAt("seeds", "required key is missing");
  c.seeds = ReadSeeds(root);
  c.threads = static_cast<int>(root.GetInt("threads", 0, 0, kMaxThreads));
  c.jobs = static_cast<int>(root.GetInt("jobs", 0, 0, kMaxThreads));
  c.overrides = OverrideList(root, "set");
  c.tasks = ReadTasks(root);
  c.methods = ReadMethods(root, base_dir, c.tasks);
  ReadStepSizeScales(root, &c);
  return c;
}

}  // namespace

std::string ScaledMethodId(const std::string& base_id, double scale) {
  if (scale == 1) return base_id;
  char buf[48];
  std::snprintf(buf, sizeof buf, "_x%g", scale);
  return base_id + buf;
}

const std::vector<std::uint64_t>& SeedsOf(const BenchConfig& config, const BenchTask& task) {
  return task.seeds.empty() ? config.seeds : task.seeds;
}

const std::string& MethodConfigFor(const BenchMethod& method, const std::string& task) {
  const auto it = method.config_per_task.find(task);
  if (it != method.config_per_task.end()) return it->second;
  if (method.default_config.empty()) {
    throw Error(method.where, "no config for task " + task);
  }
  return method.default_config;
}

void SelectBenchPart(const std::vector<std::string>& tasks, const std::vector<std::string>& methods,
                     BenchConfig* config) {
  const auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const std::string& name : tasks) {
    const bool known = std::any_of(config->tasks.begin(), config->tasks.end(),
                                   [&](const BenchTask& t) { return t.name == name; });
    if (!known)
      throw Error({config->source, 0, "tasks"}, "--tasks: the bench has no task '" + name + "'");
  }
  // A base id names every scale of a method; `<base>_x1` its scale 1 alone.
  const bool scaled = !config->step_size_scales.empty();
  const auto named = [scaled](const BenchMethod& b, const std::string& id) {
    return b.id == id || b.base_id == id ||
           (scaled && b.step_size_scale == 1 && id == b.base_id + "_x1");
  };
  for (const std::string& id : methods) {
    const auto m = std::find_if(config->methods.begin(), config->methods.end(),
                                [&](const BenchMethod& b) { return named(b, id); });
    if (m == config->methods.end()) {
      throw Error({config->source, 0, "methods"},
                  "--methods: the bench has no method '" + id + "'");
    }
    if (!m->enabled)
      throw Error(m->where, "--methods: method '" + id + "' is disabled in the bench file");
  }
  std::erase_if(config->tasks, [&](const BenchTask& t) { return !listed(tasks, t.name); });
  std::erase_if(config->methods, [&](const BenchMethod& m) {
    return !methods.empty() && std::none_of(methods.begin(), methods.end(),
                                            [&](const auto& id) { return named(m, id); });
  });
}

BenchConfig ParseBenchConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir) {
  return FromNode(ConfigNode::FromString(text, source), base_dir);
}

BenchConfig LoadBenchConfig(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  return FromNode(ConfigNode::LoadFile(path), dir.empty() ? "." : dir);
}

}  // namespace mnemo
