#include "core/meta/outer/meta_eval.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

#include "core/es/learned_weights_check.h"
#include "core/meta/outer/inner_run.h"
#include "core/meta/outer/meta_config.h"
#include "core/meta/tasks/task_mixture.h"
#include "core/optim/learned_weights_file.h"
#include "core/parallel/thread_pool.h"

namespace mnemo {
namespace {

// Tag of the task draws' stream.
constexpr std::uint64_t kEvalTaskTag = 0xe7a1;

// The updater of one variant (a method at one lr), built on the calling
// thread; learned updaters run single-threaded (the pool is over runs).
std::unique_ptr<Updater> MakeVariant(const EvalMethod& method, double lr) {
  ConfigNode config = method.optimizer;
  if (!std::isnan(lr)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", lr);  // exact on reading
    config = ConfigWithKey(config, "lr", text);
  }
  std::unique_ptr<Updater> updater = MakeUpdater(config);
  if (dynamic_cast<LearnedUpdater*>(updater.get()) != nullptr) {
    updater = MakeUpdater(ConfigWithKey(config, "threads", "1"));
  }
  // Weights from a file: finite and bounded, whatever its checksum says.
  if (config.Has("weights")) CheckLearnedWeights(*updater, ResolveWeightsPath(config, "weights"));
  return updater;
}

// The lr values of a method (one NaN when it has no grid).
std::vector<double> LrValues(const EvalMethod& method) {
  if (method.lr_grid.empty()) {
    return {std::numeric_limits<double>::quiet_NaN()};
  }
  return method.lr_grid;
}

}  // namespace

MetaEvalConfig ParseMetaEvalConfig(const ConfigNode& root, const TaskFamilyRegistry& registry) {
  root.AllowOnly({"horizon", "seeds", "seed", "threads", "methods", "tasks"});
  MetaEvalConfig c;
  c.source = root.File();
  c.registry = &registry;
  c.horizon = root.GetInt("horizon", 2000, 1, 1LL << 40);
  c.seeds = static_cast<int>(root.GetInt("seeds", 3, 1, 1 << 16));
  c.seed = static_cast<std::uint64_t>(root.GetInt("seed", 1, 0));
  c.threads = static_cast<int>(root.GetInt("threads", 0, 0, kMaxThreads));
  const ConfigNode methods = root.Child("methods");
  for (auto it = methods.Yaml().begin(); it != methods.Yaml().end(); ++it) {
    const std::string label = it->first.as<std::string>();
    const ConfigNode section = methods.Child(label);
    section.AllowOnly({"optimizer", "lr_grid"});
    EvalMethod method{label, section.Child("optimizer"), {}};
    if (section.Has("lr_grid")) {
      constexpr double kAny = std::numeric_limits<double>::infinity();
      method.lr_grid = section.GetDoubleList("lr_grid", {}, -kAny, kAny);
      if (method.lr_grid.empty()) {
        throw section.ErrorAt("lr_grid", "expected a non-empty list of numbers");
      }
      for (double lr : method.lr_grid) {
        if (!(lr > 0.0)) throw section.ErrorAt("lr_grid", "lr must be positive");
      }
    }
    MakeVariant(method, method.lr_grid.empty() ? std::numeric_limits<double>::quiet_NaN()
                                               : method.lr_grid.front());
    c.methods.push_back(method);
  }
  if (c.methods.empty()) {
    throw root.ErrorAt("methods", "needs at least one method to compare");
  }
  if (!root.Has("tasks")) throw root.ErrorAt("tasks", "needs task entries");
  c.tasks = root.Child("tasks");
  TaskMixture(c.tasks, registry);  // validates every entry
  return c;
}

MetaEvalConfig LoadMetaEvalConfig(const std::string& path, const TaskFamilyRegistry& registry) {
  return ParseMetaEvalConfig(ConfigNode::LoadFile(path), registry);
}

namespace {

// Adds to every entry of `outcomes` each tuned method at the one lr of its
// grid whose mean loss, averaged over the entries, is lowest.
void AddSharedLr(const MetaEvalConfig& config, std::vector<TaskOutcome>* outcomes) {
  for (const EvalMethod& method : config.methods) {
    if (method.lr_grid.empty()) continue;
    double best_lr = method.lr_grid.front();
    double best = std::numeric_limits<double>::infinity();
    for (double lr : method.lr_grid) {
      double total = 0.0;
      for (const TaskOutcome& t : *outcomes) {
        for (const MethodOutcome& o : t.grid) {
          if (o.method == method.label && o.lr == lr) total += o.mean_loss;
        }
      }
      if (total < best) {
        best = total;
        best_lr = lr;
      }
    }
    for (TaskOutcome& t : *outcomes) {
      for (const MethodOutcome& o : t.grid) {
        if (o.method != method.label || o.lr != best_lr) continue;
        MethodOutcome shared = o;
        shared.method += kSharedLrSuffix;
        t.methods.push_back(shared);
      }
    }
  }
}

}  // namespace

std::vector<TaskOutcome> RunMetaEval(const MetaEvalConfig& config,
                                     const std::function<void(const TaskOutcome&)>& progress) {
  const TaskMixture entries(config.tasks, *config.registry);
  ThreadPool pool(config.threads);
  // One job per (variant, seed) of an entry.
  struct Job {
    int method = 0;
    double lr = 0.0;
    std::unique_ptr<InnerRun> run;
    double final_loss = 0.0;
    double mean_loss = 0.0;
  };
  std::vector<TaskOutcome> outcomes;
  for (int e = 0; e < entries.Size(); ++e) {
    std::vector<std::uint64_t> seeds;
    for (int s = 0; s < config.seeds; ++s) {
      Stream rng(MixBits(config.seed ^ kEvalTaskTag), static_cast<std::uint64_t>(e),
                 static_cast<std::uint64_t>(s));
      seeds.push_back(rng.NextBits());
    }
    std::vector<Job> jobs;
    for (int m = 0; m < static_cast<int>(config.methods.size()); ++m) {
      for (double lr : LrValues(config.methods[m])) {
        for (std::uint64_t seed : seeds) {
          Job job;
          job.method = m;
          job.lr = lr;
          job.run = std::make_unique<InnerRun>(MakeVariant(config.methods[m], lr));
          job.run->Start(entries.Sample(e, seed), config.horizon);
          jobs.push_back(std::move(job));
        }
      }
    }
    pool.ParallelFor(static_cast<int>(jobs.size()), [&](int, int k) {
      Job& job = jobs[k];
      job.mean_loss =
          job.run->Advance(static_cast<int>(config.horizon)) / static_cast<double>(config.horizon);
      job.final_loss = job.run->Evaluate();
    });
    TaskOutcome outcome;
    outcome.task = entries.Label(e);
    outcome.example = jobs.front().run->Task().Describe();
    const double n = config.seeds;
    for (int m = 0; m < static_cast<int>(config.methods.size()); ++m) {
      MethodOutcome best;
      best.method = config.methods[m].label;
      best.mean_loss = std::numeric_limits<double>::infinity();
      for (double lr : LrValues(config.methods[m])) {
        MethodOutcome o;
        o.method = best.method;
        o.lr = lr;
        for (const Job& job : jobs) {
          const bool same_lr = std::isnan(lr) ? std::isnan(job.lr) : job.lr == lr;
          if (job.method != m || !same_lr) continue;
          o.final_loss += job.final_loss / n;
          o.mean_loss += job.mean_loss / n;
          if (job.run->Diverged()) ++o.diverged;
        }
        if (!std::isnan(lr)) outcome.grid.push_back(o);
        if (o.mean_loss < best.mean_loss) best = o;
      }
      outcome.methods.push_back(best);
    }
    if (progress) progress(outcome);
    outcomes.push_back(std::move(outcome));
  }
  AddSharedLr(config, &outcomes);
  return outcomes;
}

}  // namespace mnemo
