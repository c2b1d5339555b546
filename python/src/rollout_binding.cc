// rollout_core(): a batch of episodes on the C++ rollout engine, the GIL
// released, with the episode seeds of training or evaluation
// (PolicySearchProblem's) or given ones. Engines are kept between calls.
#include <pybind11/stl.h>

#include <atomic>
#include <mutex>

#include "core/util/error.h"
#include "envs/policy_search_problem.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"
#include "python/src/interruptible.h"
#include "python/src/task_args.h"

namespace mnemo::python {
namespace {

// Engines kept between calls (building one compiles the MJCF and starts its
// threads), by what they were built from.
constexpr std::size_t kKeptEngines = 4;

// What builds an engine: the task and its options, the policy architecture
// and the thread count.
struct EngineKey {
  std::string task;
  TaskOptions options;
  std::string kind;
  std::vector<int> hidden;
  bool clip_actions = false;
  int threads = 0;

  // A text that differs when any field differs.
  std::string Text() const {
    std::string text = task + '\n' + options.xml_path + '\n' +
                       std::to_string(options.max_episode_steps) + ' ' +
                       std::to_string(options.use_contact_forces) + ' ' +
                       std::to_string(options.reset_noise_scale) + '\n' + kind + ' ' +
                       std::to_string(clip_actions) + ' ' + std::to_string(threads);
    for (int h : hidden) text += ' ' + std::to_string(h);
    return text;
  }
};

// Idle engines. A call takes one out while it runs, so that calls from
// several Python threads never share an engine.
class EngineCache {
 public:
  // An engine for `key` (a kept one, or a new one).
  std::shared_ptr<RolloutEngine> Take(const EngineKey& key) {
    const std::string text = key.Text();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (it->first != text) continue;
        auto engine = it->second;
        idle_.erase(it);
        return engine;
      }
    }
    auto task = MakeTask(key.task, key.options);
    PolicySpec spec{key.kind,           task->ObsDim(), task->ActDim(),  task->ActionLow(),
                    task->ActionHigh(), key.hidden,     key.clip_actions};
    std::shared_ptr<const Policy> policy = MakePolicy(spec);
    return std::make_shared<RolloutEngine>(task, policy, key.threads);
  }
  // Keeps `engine` for later calls with `key` (the oldest goes when full).
  void Give(const EngineKey& key, std::shared_ptr<RolloutEngine> engine) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.emplace_back(key.Text(), std::move(engine));
    if (idle_.size() > kKeptEngines) idle_.erase(idle_.begin());
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<RolloutEngine>>> idle_;
};

EngineCache& Engines() {
  static EngineCache* cache = new EngineCache();  // never destroyed: threads at exit
  return *cache;
}

// How the episodes of a batch are seeded and run.
struct BatchArgs {
  int episodes_per_candidate = 1;
  std::uint64_t seed = 0;   // the run's seed
  std::uint64_t batch = 0;  // the batch counter (training) or key (evaluation)
  EpisodeKind kind = EpisodeKind::kEval;
  std::vector<std::uint64_t> episode_seeds;  // given seeds (empty: from the above)
  RolloutOptions options;
};

// The reset seed of every episode, candidate by candidate.
std::vector<std::uint64_t> EpisodeSeeds(const BatchArgs& args, std::size_t episodes) {
  if (!args.episode_seeds.empty()) {
    if (args.episode_seeds.size() != episodes) {
      throw Error("episode_seeds has " + std::to_string(args.episode_seeds.size()) +
                  " seeds, the batch " + std::to_string(episodes) + " episodes");
    }
    return args.episode_seeds;
  }
  std::vector<std::uint64_t> seeds(episodes);
  for (std::size_t i = 0; i < episodes; ++i)
    seeds[i] = EpisodeSeed(args.seed, args.kind, args.batch, i);
  return seeds;
}

// The results as numpy arrays [K, E] (terms [K, E, T]) and statistics.
py::dict ResultsDict(const std::vector<RolloutResult>& results, const Task& task, int k, int e) {
  const int terms = static_cast<int>(task.Spec().reward_terms.size());
  py::array_t<double> returns({k, e}), shifted({k, e}), term_sums({k, e, terms});
  py::array_t<std::int64_t> lengths({k, e});
  py::array_t<bool> terminated({k, e}), unstable({k, e});
  py::list stats;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RolloutResult& r = results[i];
    returns.mutable_data()[i] = r.total_return;
    shifted.mutable_data()[i] = r.shifted_return;
    lengths.mutable_data()[i] = r.length;
    terminated.mutable_data()[i] = r.termination == Termination::kUnhealthy;
    unstable.mutable_data()[i] = r.termination == Termination::kUnstable;
    for (int t = 0; t < terms; ++t) term_sums.mutable_data()[i * terms + t] = r.term_sums[t];
    stats.append(r.obs_stats);
  }
  py::dict out;
  out["returns"] = returns;
  out["shifted_returns"] = shifted;
  out["lengths"] = lengths;
  out["terminated"] = terminated;
  out["unstable"] = unstable;
  out["reward_terms"] = term_sums;
  out["reward_term_names"] = task.Spec().reward_terms;
  out["obs_stats"] = stats;
  return out;
}

// Runs the batch of `params` on an engine for `key`.
py::dict Rollout(const EngineKey& key, const DoubleArray& params, const BatchArgs& args,
                 py::handle obs_stats, bool normalize) {
  std::shared_ptr<RolloutEngine> engine = Engines().Take(key);
  const Task& task = engine->GetTask();
  const std::vector<Vec> rows = ToRows(params, engine->GetPolicy().NumParams(), "params");
  const int k = static_cast<int>(rows.size());
  const int e = args.episodes_per_candidate;
  std::vector<Vec> xs;
  xs.reserve(static_cast<std::size_t>(k) * e);
  for (const Vec& row : rows) xs.insert(xs.end(), e, row);
  const std::vector<std::uint64_t> seeds = EpisodeSeeds(args, xs.size());
  ObservationNormalizer normalizer(task.ObsDim());
  normalizer.SetStats(ToStats(obs_stats, task.ObsDim(), "obs_stats"));
  RolloutOptions options = args.options;
  options.normalize = normalize;
  std::atomic<bool> cancel{false};
  engine->SetCancelFlag(&cancel);
  std::vector<RolloutResult> results;
  try {
    RunInterruptible([&] { results = engine->Run(xs, seeds, normalizer, options); },
                     [&] { cancel = true; });
  } catch (...) {
    engine->SetCancelFlag(nullptr);
    throw;  // the engine is dropped: a cancelled Run may leave it midway
  }
  engine->SetCancelFlag(nullptr);
  py::dict out = ResultsDict(results, task, k, e);
  Engines().Give(key, std::move(engine));
  return out;
}

}  // namespace

void BindRollout(py::module_& m) {
  m.def(
      "normal_stream",
      [](std::uint64_t seed, std::uint64_t iteration, std::uint64_t index, int n) {
        Vec out(n);
        Stream(seed, iteration, index).FillNormal({out.data(), static_cast<std::size_t>(n)});
        return ToArray(out);
      },
      py::arg("seed"), py::arg("iteration"), py::arg("index"), py::arg("n"),
      "The first n normal numbers of Stream(seed, iteration, index) (rollout-bench's policies)");
  m.def(
      "rollout_core",
      [](const std::string& task, const py::dict& task_options, const DoubleArray& params,
         const std::string& kind, const std::vector<int>& hidden, bool clip_actions, int threads,
         int episodes_per_candidate, std::uint64_t seed, std::uint64_t batch, bool train,
         const std::vector<std::uint64_t>& episode_seeds, py::handle obs_stats, bool normalize,
         double reward_shift, int max_steps) {
        if (episodes_per_candidate < 1) throw Error("episodes_per_candidate must be at least 1");
        if (threads < 0) throw Error("threads must be 0 (all cores) or more");
        EngineKey key{task,         TaskOptionsFromArgs(task, task_options, "<mnemo.rollout>"),
                      kind,         hidden,
                      clip_actions, threads};
        BatchArgs args{
            episodes_per_candidate, seed, batch, train ? EpisodeKind::kTrain : EpisodeKind::kEval,
            episode_seeds,          {}};
        args.options.reward_shift = reward_shift;
        args.options.max_steps = max_steps;
        return Rollout(key, params, args, obs_stats, normalize);
      },
      py::arg("task"), py::arg("task_options"), py::arg("params"), py::arg("kind"),
      py::arg("hidden"), py::arg("clip_actions"), py::arg("threads"),
      py::arg("episodes_per_candidate"), py::arg("seed"), py::arg("batch"), py::arg("train"),
      py::arg("episode_seeds"), py::arg("obs_stats"), py::arg("normalize"), py::arg("reward_shift"),
      py::arg("max_steps"));
}

}  // namespace mnemo::python
