// `mnemo rollout-bench`: simulator throughput of the rollout engine against a
// plain mj_step loop, on one thread and on N.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/lib/cli_options.h"
#include "apps/mnemo/commands.h"
#include "core/util/error.h"
#include "envs/rollout_engine.h"
#include "envs/task_list.h"

namespace mnemo {
namespace {

using Clock = std::chrono::steady_clock;

// Seconds since `start`.
double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// mj_step calls per second of a plain loop on this thread, with a fixed
// random control, for about `seconds`.
double RawStepRate(const Task& task, double seconds) {
  const mjModel* m = task.Model();
  DataPtr d(mj_makeData(m));
  Stream rng(1);
  task.ResetState(d.get(), rng);
  for (int i = 0; i < m->nu; ++i) {
    d->ctrl[i] = rng.Uniform(task.ActionLow()[i], task.ActionHigh()[i]) * 0.1;
  }
  std::int64_t steps = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (int k = 0; k < 1000; ++k) mj_step(m, d.get());
    steps += 1000;
    elapsed = SecondsSince(start);
  }
  return static_cast<double>(steps) / elapsed;
}

// Result of timing the engine.
struct EngineRate {
  double env_steps_per_s = 0;      // environment steps
  double physics_steps_per_s = 0;  // mj_step calls (env steps * frame skip)
  std::vector<double> returns;     // for the determinism check
  std::vector<int> lengths;        // episode lengths of one batch, in order
};

// The best N/1 speed-up of a batch run the engine's way: each free thread
// takes the next episode in order, so the batch ends when the thread that
// drew the most steps ends (list scheduling, with steps as the cost).
double ScheduleBound(const std::vector<int>& lengths, int threads) {
  std::vector<double> busy(std::max(1, threads), 0.0);
  double total = 0;
  for (int length : lengths) {
    *std::min_element(busy.begin(), busy.end()) += length;
    total += length;
  }
  const double makespan = *std::max_element(busy.begin(), busy.end());
  return makespan > 0 ? total / makespan : 1.0;
}

// Times `engine` on batches of episodes of a small random linear policy,
// for about `seconds`.
EngineRate TimeEngine(RolloutEngine& engine, int batch, double seconds) {
  const Policy& policy = engine.GetPolicy();
  std::vector<Vec> params(batch);
  std::vector<std::uint64_t> seeds(batch);
  for (int i = 0; i < batch; ++i) {
    Stream rng(7, 0, i);
    params[i] = Vec(policy.NumParams());
    rng.FillNormal({params[i].data(), static_cast<std::size_t>(params[i].size())});
    params[i] *= 0.05;
    seeds[i] = 1000 + i;
  }
  ObservationNormalizer normalizer(engine.GetTask().ObsDim());
  RolloutOptions options;
  options.collect_obs_stats = true;
  EngineRate rate;
  std::int64_t steps = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  bool first = true;
  while (elapsed < seconds) {
    const auto results = engine.Run(params, seeds, normalizer, options);
    for (const auto& r : results) {
      steps += r.length;
      if (first) {
        rate.returns.push_back(r.total_return);
        rate.lengths.push_back(static_cast<int>(r.length));
      }
    }
    first = false;
    elapsed = SecondsSince(start);
  }
  rate.env_steps_per_s = static_cast<double>(steps) / elapsed;
  rate.physics_steps_per_s = rate.env_steps_per_s * engine.GetTask().Spec().frame_skip;
  return rate;
}

// Options of the command.
struct RolloutBenchArgs {
  std::string task;      // empty: all tasks
  int threads = 0;       // 0: all cores
  double seconds = 1.5;  // per measurement
  bool json = false;
};

// One task's row of the benchmark, as JSON: the raw mj_step rate, the
// engine's on one and on `threads` threads, and whether their returns agree.
nlohmann::json MeasureTask(const std::string& name, int threads, double seconds) {
  auto task = MakeTask(name);
  PolicySpec spec{"linear",          task->ObsDim(),     task->ActDim(),
                  task->ActionLow(), task->ActionHigh(), {}};
  std::shared_ptr<const Policy> policy = MakePolicy(spec);
  const int batch = 4 * threads;
  const double raw = RawStepRate(*task, seconds);
  RolloutEngine one(task, policy, 1);
  const EngineRate rate1 = TimeEngine(one, batch, seconds);
  RolloutEngine many(task, policy, threads);
  const EngineRate rate_n = TimeEngine(many, batch, seconds);
  double mean_length = 0;
  for (int length : rate1.lengths) mean_length += static_cast<double>(length) / batch;
  return {{"task", name},
          {"threads", threads},
          {"raw_mj_steps_per_s", raw},
          {"engine_1_thread_env_steps_per_s", rate1.env_steps_per_s},
          {"engine_1_thread_mj_steps_per_s", rate1.physics_steps_per_s},
          {"engine_n_threads_env_steps_per_s", rate_n.env_steps_per_s},
          {"engine_n_threads_mj_steps_per_s", rate_n.physics_steps_per_s},
          {"engine_over_raw", rate1.physics_steps_per_s / raw},
          {"speedup_n_over_1", rate_n.env_steps_per_s / rate1.env_steps_per_s},
          {"speedup_bound", ScheduleBound(rate1.lengths, threads)},
          {"episode_length_mean", mean_length},
          {"episode_lengths", rate1.lengths},
          {"identical_returns_1_vs_n", rate1.returns == rate_n.returns}};
}

// One row of the table for a row of MeasureTask.
void PrintRow(const nlohmann::json& row) {
  std::printf("%-12s %12.0f %12.0f %12.0f %9.0f %8.3f %8.2fx %6.2fx %s\n",
              row["task"].get<std::string>().c_str(), row["raw_mj_steps_per_s"].get<double>(),
              row["engine_1_thread_mj_steps_per_s"].get<double>(),
              row["engine_n_threads_mj_steps_per_s"].get<double>(),
              row["engine_n_threads_env_steps_per_s"].get<double>(),
              row["engine_over_raw"].get<double>(), row["speedup_n_over_1"].get<double>(),
              row["speedup_bound"].get<double>(),
              row["identical_returns_1_vs_n"].get<bool>() ? "same" : "DIFFERENT");
  std::fflush(stdout);
}

// Runs the benchmark and prints a table (or JSON).
void RunRolloutBench(const RolloutBenchArgs& args) {
  std::vector<std::string> names;
  if (args.task.empty()) {
    for (const auto& e : Tasks().Entries()) names.push_back(e.name);
  } else {
    names.push_back(args.task);
  }
  const int threads = args.threads > 0 ? args.threads : DefaultThreadCount();
  nlohmann::json out = nlohmann::json::array();
  if (!args.json) {
    std::printf("%-12s %12s %12s %12s %9s %8s %9s %7s %s\n", "task", "raw mj/s", "engine1 mj/s",
                "engineN mj/s", "env/s (N)", "eng/raw", "N/1", "bound", "det");
  }
  for (const auto& name : names) {
    out.push_back(MeasureTask(name, threads, args.seconds));
    if (!args.json) PrintRow(out.back());
  }
  if (args.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf(
      "raw: plain mj_step loop on one core; engine: linear policy with "
      "observation normalization, %d threads for N; bound: the best N/1 "
      "for the batch's episode lengths when each free thread takes the next "
      "episode; "
      "det: returns with 1 and N threads\n",
      threads);
}

}  // namespace

void AddRolloutBenchCommand(CLI::App& app) {
  auto args = std::make_shared<RolloutBenchArgs>();
  auto* cmd = app.add_subcommand("rollout-bench",
                                 "Simulator throughput: rollout engine vs a raw mj_step loop");
  cmd->add_option("--task", args->task, "One task (default: all)");
  cmd->add_option("--threads", args->threads, "Threads for the N-thread run (default 0: all cores)")
      ->check(ThreadCount());
  cmd->add_option("--seconds", args->seconds, "Seconds per measurement (default 1.5)")
      ->check(NumberIn(0.01, 3600));
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] { RunRolloutBench(*args); });
}

}  // namespace mnemo
