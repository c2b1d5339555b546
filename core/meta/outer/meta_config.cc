#include "core/meta/outer/meta_config.h"

#include <algorithm>

#include "core/es/learned_weights_check.h"
#include "core/meta/tasks/task_mixture.h"
#include "core/optim/learned_weights_file.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {

std::unique_ptr<LearnedUpdater> MakeLearnedUpdater(const ConfigNode& config,
                                                   const UpdaterRegistry& updaters) {
  std::unique_ptr<Updater> updater = MakeUpdater(config, updaters);
  auto* learned = dynamic_cast<LearnedUpdater*>(updater.get());
  if (learned == nullptr) {
    throw config.ErrorAt("type", "'" + updater->Name() +
                                     "' is not a learned updater (use "
                                     "mnemosyne or lstm)");
  }
  // Weights from a file: finite and bounded, whatever its checksum says.
  if (config.Has("weights")) CheckLearnedWeights(*learned, ResolveWeightsPath(config, "weights"));
  updater.release();
  return std::unique_ptr<LearnedUpdater>(learned);
}

MetaConfig ParseMetaConfig(const ConfigNode& root, const TaskFamilyRegistry& families,
                           const UpdaterRegistry& updaters) {
  root.AllowOnly({"optimizer", "init_from", "meta", "families", "evaluation"});
  MetaConfig c;
  c.source = root.File();
  c.root = root;
  c.families_registry = &families;
  c.updaters = &updaters;
  if (!root.Has("optimizer")) {
    throw root.ErrorAt("optimizer",
                       "a meta-training config needs an "
                       "`optimizer:` section (mnemosyne or lstm)");
  }
  c.optimizer = root.Child("optimizer");
  if (root.Has("init_from")) c.init_from = ResolveWeightsPath(root, "init_from");
  // Validates the optimizer section (and the init_from file against it).
  const std::unique_ptr<LearnedUpdater> updater = MakeLearnedUpdater(
      c.init_from.empty() ? c.optimizer : ConfigWithKey(c.optimizer, "weights", c.init_from),
      updaters);

  const ConfigNode meta = root.Child("meta");
  meta.AllowOnly({"seed", "threads", "iterations", "pairs", "sigma", "objective", "truncation",
                  "unroll", "differences", "decay", "max_grad_norm", "outer", "checkpoint_every"});
  c.seed = static_cast<std::uint64_t>(meta.GetInt("seed", 1, 0));
  c.threads = static_cast<int>(meta.GetInt("threads", 0, 0, kMaxThreads));
  c.iterations = static_cast<int>(meta.GetInt("iterations", 1000, 0, 1 << 30));
  c.pairs = static_cast<int>(meta.GetInt("pairs", 16, 1, 1 << 16));
  c.sigma = meta.GetDouble("sigma", 0.01, 1e-12, 1e3);
  c.objective = meta.GetString("objective", "truncated", {"truncated", "whole_run"}) == "whole_run"
                    ? MetaObjective::kWholeRun
                    : MetaObjective::kTruncated;
  if (c.objective == MetaObjective::kWholeRun && meta.Has("truncation")) {
    throw meta.ErrorAt("truncation", "objective whole_run runs whole unrolls: drop `truncation`");
  }
  c.truncation = static_cast<int>(meta.GetInt("truncation", 10, 1, 1 << 20));
  c.sign_differences = meta.GetString("differences", "raw", {"raw", "sign"}) == "sign";
  c.decay = meta.GetDouble("decay", 0.0, 0.0, 1e6);
  c.unroll = GetLogRange(meta, "unroll", {50, 200}, 1, 1e9);
  c.max_grad_norm = meta.GetDouble("max_grad_norm", 0.0, 0.0, 1e300);
  c.outer = meta.Has("outer") ? meta.Child("outer")
                              : ConfigNode::FromString("type: adam\nlr: 0.001", "(default outer)");
  c.checkpoint_every = static_cast<int>(meta.GetInt("checkpoint_every", 10, 1, 1 << 30));
  MakeUpdater(c.outer, updaters);  // validates the outer section

  if (!root.Has("families")) {
    throw root.ErrorAt("families", "a meta-training config needs task families");
  }
  c.families = root.Child("families");
  TaskMixture(c.families, families);  // validates every family section

  const ConfigNode eval = root.Child("evaluation");
  eval.AllowOnly({"every", "tasks", "length", "held_out", "held_out_length"});
  c.eval_every = static_cast<int>(eval.GetInt("every", 50, 0, 1 << 30));
  c.eval_tasks = static_cast<int>(eval.GetInt("tasks", 8, 1, 1 << 16));
  c.eval_length = eval.GetInt("length", static_cast<long long>(c.unroll.hi), 1, 1LL << 40);
  c.held_out = eval.Child("held_out");
  if (c.held_out.Yaml().size() > 0) TaskMixture(c.held_out, families);
  c.held_out_length = eval.GetInt("held_out_length", 10 * c.eval_length, 1, 1LL << 40);
  return c;
}

MetaConfig LoadMetaConfig(const std::string& path, const TaskFamilyRegistry& families) {
  return ParseMetaConfig(ConfigNode::LoadFile(path), families);
}

}  // namespace mnemo
