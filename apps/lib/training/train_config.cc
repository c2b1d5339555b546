#include "apps/lib/training/train_config.h"

#include <fstream>
#include <sstream>

#include "core/optim/learned_weights_file.h"
#include "core/parallel/thread_pool.h"
#include "envs/task_list.h"
#include "policies/policy_list.h"

namespace mnemo {

void ReadTaskSection(const ConfigNode& task, TrainConfig* c) {
  task.AllowOnly({"name", "xml", "max_episode_steps", "use_contact_forces", "reset_noise_scale",
                  "reward_shift"});
  c->task = task.GetString("name", "HalfCheetah");
  if (!Tasks().Has(c->task)) {
    std::string known;
    for (const auto& e : Tasks().Entries()) {
      known += (known.empty() ? "" : ", ") + e.name;
    }
    throw task.ErrorAt("name", "unknown task '" + c->task + "' (known: " + known + ")");
  }
  if (task.Has("xml")) {
    // Absolute, so that the run folder's copy of the config finds it from
    // anywhere; a missing file is left for the task to report.
    const std::string found = task.FindFile("xml");
    c->task_options.xml_path = found.empty() ? task.RequireString("xml") : found;
  }
  c->task_options.max_episode_steps =
      static_cast<int>(task.GetInt("max_episode_steps", 1000, 1, 100000));
  c->task_options.use_contact_forces = task.GetBool("use_contact_forces", true);
  c->task_options.reset_noise_scale = task.GetDouble("reset_noise_scale", -1, -1, 10);
  c->reward_shift = task.GetDouble("reward_shift", 0, -1e6, 1e6);
}

namespace {

// Reads the `policy` section into `c`; kinds refer to `policies`.
void ReadPolicy(const ConfigNode& policy, const PolicyRegistry& policies, TrainConfig* c) {
  policy.AllowOnly({"kind", "hidden", "normalize_observations", "clip_actions"});
  std::vector<std::string> kinds;
  for (const auto& e : policies.Entries()) kinds.push_back(e.name);
  c->policy_kind = policy.GetString("kind", "linear", kinds);
  c->policies = &policies;
  for (long long w : policy.GetIntList("hidden", {}, 1, 4096)) c->hidden.push_back(int(w));
  if (c->policy_kind == "linear" && !c->hidden.empty()) {
    throw policy.ErrorAt("hidden", "a linear policy has no hidden layers");
  }
  c->normalize = policy.GetBool("normalize_observations", true);
  c->clip_actions = policy.GetBool("clip_actions", false);
}

// Keeps the `search` and `optimizer` sections in `c` (their builders check
// them); returns the learned optimizer's weights file as the updater will
// find it ("" when it names none).
std::string ReadSearch(const ConfigNode& root, TrainConfig* c) {
  c->search = root.Child("search");
  if (!c->search.Has("type")) throw c->search.ErrorAt("type", "required key is missing");
  c->optimizer = root.Child("optimizer");
  if (c->optimizer.Has("step_scale")) {
    throw c->optimizer.ErrorAt(
        "step_scale",
        "in training the learned optimizer's step unit is the search's sigma; "
        "remove step_scale (set search.sigma instead)");
  }
  return c->optimizer.Has("weights") ? ResolveWeightsPath(c->optimizer, "weights") : "";
}

// Reads the `train` section into `c`.
void ReadTrain(const ConfigNode& train, TrainConfig* c) {
  train.AllowOnly({"seed", "threads", "max_episodes", "max_iterations", "eval_every",
                   "eval_episodes", "checkpoint_every", "snapshot_every", "stop_return"});
  c->seed = static_cast<std::uint64_t>(train.GetInt("seed", 1, 0, 1LL << 62));
  c->threads = static_cast<int>(train.GetInt("threads", 0, 0, kMaxThreads));
  c->max_episodes = train.GetInt("max_episodes", 0, 0);
  c->max_iterations = train.GetInt("max_iterations", 0, 0);
  if (c->max_episodes == 0 && c->max_iterations == 0) {
    throw train.ErrorAt("max_episodes", "set a budget: max_episodes or max_iterations");
  }
  c->eval_every = static_cast<int>(train.GetInt("eval_every", 10, 1, 1000000));
  c->eval_episodes = static_cast<int>(train.GetInt("eval_episodes", 5, 1, 10000));
  c->checkpoint_every = static_cast<int>(train.GetInt("checkpoint_every", 10, 1, 1000000));
  c->snapshot_every = static_cast<int>(train.GetInt("snapshot_every", 10, 0, 1000000));
  c->stop_return = train.GetDouble("stop_return", 0);
}

// The resolved config: `root` with every value the run will use written in
// (`weights`: the resolved weights path, "" for none).
YAML::Node Resolved(const ConfigNode& root, const TrainConfig& c, const std::string& weights) {
  YAML::Node r = YAML::Clone(root.Yaml());
  r["task"]["name"] = c.task;
  r["task"]["max_episode_steps"] = c.task_options.max_episode_steps;
  r["task"]["reward_shift"] = c.reward_shift;
  if (c.task == "Ant") r["task"]["use_contact_forces"] = c.task_options.use_contact_forces;
  if (!c.task_options.xml_path.empty()) r["task"]["xml"] = c.task_options.xml_path;
  if (!weights.empty()) r["optimizer"]["weights"] = weights;
  r["policy"]["kind"] = c.policy_kind;
  r["policy"]["normalize_observations"] = c.normalize;
  r["policy"]["clip_actions"] = c.clip_actions;
  r["train"]["seed"] = c.seed;
  r["train"]["threads"] = c.threads;
  r["train"]["max_episodes"] = c.max_episodes;
  r["train"]["max_iterations"] = c.max_iterations;
  r["train"]["eval_every"] = c.eval_every;
  r["train"]["eval_episodes"] = c.eval_episodes;
  r["train"]["checkpoint_every"] = c.checkpoint_every;
  r["train"]["snapshot_every"] = c.snapshot_every;
  return r;
}

// Reads the sections of an already-parsed config; policy kinds refer to
// `policies`.
TrainConfig FromNode(const ConfigNode& root, const PolicyRegistry& policies = Policies()) {
  root.AllowOnly({"task", "policy", "search", "optimizer", "train"});
  TrainConfig c;
  c.source = root.File();
  ReadTaskSection(root.Child("task"), &c);
  ReadPolicy(root.Child("policy"), policies, &c);
  const std::string weights = ReadSearch(root, &c);
  ReadTrain(root.Child("train"), &c);
  c.resolved = Resolved(root, c, weights);
  return c;
}

}  // namespace

std::string DefaultTrainConfigPath() {
  return std::string(MNEMO_SOURCE_DIR) + "/configs/train/default.yaml";
}

void ApplyOverride(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error("--set '" + assignment + "': expected key=value (e.g. train.seed=3)");
  }
  const std::string path = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
    CheckPlainKeys(value, "--set '" + assignment + "'");
  } catch (const YAML::Exception& e) {
    throw Error("--set '" + assignment + "': value is not valid YAML: " + e.msg);
  }
  std::vector<std::string> keys;
  std::stringstream parts(path);
  for (std::string k; std::getline(parts, k, '.');) {
    if (k.empty()) throw Error("--set '" + assignment + "': empty key in '" + path + "'");
    keys.push_back(k);
  }
  // Walk down (creating mappings), then assign the last key.
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    YAML::Node next = chain.back()[keys[i]];
    if (next.IsDefined() && !next.IsNull() && !next.IsMap()) {
      throw Error("--set '" + assignment + "': '" + keys[i] + "' is not a section");
    }
    if (!next.IsDefined() || next.IsNull()) chain.back()[keys[i]] = YAML::Node(YAML::NodeType::Map);
    chain.push_back(chain.back()[keys[i]]);
  }
  chain.back()[keys.back()] = value;
}

TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const PolicyRegistry& policies) {
  return FromNode(ConfigNode::FromString(text, source), policies);
}

ConfigNode LoadConfigWithOverrides(const std::string& path,
                                   const std::vector<std::string>& overrides) {
  ConfigNode root = ConfigNode::LoadFile(path);
  for (const auto& o : overrides) ApplyOverride(root.Yaml(), o);
  return root;
}

TrainConfig LoadTrainConfig(const std::string& path, const std::vector<std::string>& overrides) {
  return FromNode(
      LoadConfigWithOverrides(path.empty() ? DefaultTrainConfigPath() : path, overrides));
}

}  // namespace mnemo
