// `mnemo eval POLICY [--episodes N] [--seed S] [--threads T] [--xml FILE]
// [--max-steps N] [--json]`: returns of a saved policy, on the task options
// (episode length, robot file, observation layout) of the run it came from.
#include <spdlog/spdlog.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/lib/cli_options.h"
#include "apps/lib/training/run_files.h"
#include "apps/mnemo/commands.h"
#include "envs/policy_search_problem.h"
#include "policies/policy_file.h"

namespace mnemo {
namespace {

// The most episodes one evaluation may run.
constexpr int kMaxEvalEpisodes = 1000000;
// The longest episode (as a config's task.max_episode_steps allows).
constexpr int kMaxEpisodeSteps = 100000;

// Options of the command.
struct EvalArgs {
  std::string policy;      // policy file
  int episodes = 10;       // episodes to run
  std::uint64_t seed = 1;  // seed of the episodes' initial states
  int threads = 0;         // rollout threads (0: all cores)
  std::string xml;         // another MJCF for the task (a robot variant)
  int max_steps = 0;       // episode length (0: the run's)
  bool json = false;       // print JSON instead of text
};

// Evaluates the policy and prints the returns.
void RunEval(const EvalArgs& args) {
  const SavedPolicy saved = LoadPolicy(args.policy);
  std::string run_config;
  TaskOptions options = TaskOptionsOfPolicy(args.policy, saved.task, &run_config);
  if (!args.xml.empty()) options.xml_path = args.xml;
  if (args.max_steps > 0) options.max_episode_steps = args.max_steps;
  if (!args.json) {
    spdlog::info("task options from {}: episodes of at most {} steps{}",
                 run_config.empty() ? "the defaults" : run_config, options.max_episode_steps,
                 options.xml_path.empty() ? "" : ", robot file " + options.xml_path);
  }
  auto task = MakeTask(saved.task, options);
  CheckPolicyFits(saved, args.policy, task->Name(), task->ObsDim(), task->ActDim());
  std::shared_ptr<const Policy> policy = MakePolicy(saved.spec);
  auto engine = std::make_shared<RolloutEngine>(task, policy, args.threads);
  PolicySearchProblem problem(engine, saved.normalize, 0.0, args.seed);
  problem.SetObservationStats(saved.obs_stats);
  const PolicyEvaluation e = problem.EvaluatePolicy(saved.params, args.episodes, 0);
  if (args.json) {
    nlohmann::json j{{"task", saved.task},
                     {"policy", args.policy},
                     {"episodes", args.episodes},
                     {"mean_return", e.mean},
                     {"std_return", e.stddev},
                     {"returns", e.returns},
                     {"lengths", e.lengths},
                     {"max_episode_steps", options.max_episode_steps},
                     {"task_options_from", run_config}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("%s on %s: mean return %.1f (std %.1f) over %d episodes\n", args.policy.c_str(),
              saved.task.c_str(), e.mean, e.stddev, args.episodes);
  for (std::size_t i = 0; i < e.returns.size(); ++i) {
    std::printf("  episode %2zu: return %9.1f, %4d steps\n", i, e.returns[i], e.lengths[i]);
  }
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Evaluate a saved policy");
  cmd->add_option("policy", args->policy, "Policy file (e.g. RUN/policy_best.json)")->required();
  cmd->add_option("--episodes", args->episodes, "Episodes to run (default 10)")
      ->check(IntegerIn(1, kMaxEvalEpisodes));
  cmd->add_option("--seed", args->seed, "Seed of the episodes' initial states (default 1)")
      ->check(Unsigned64());
  cmd->add_option("--threads", args->threads, "Threads (default 0: all cores)")
      ->check(ThreadCount());
  cmd->add_option("--xml", args->xml,
                  "Run on another MJCF file of the same robot (default: the run's)");
  cmd->add_option("--max-steps", args->max_steps,
                  "Episode length (default: the run's config, or 1000 outside a run)")
      ->check(IntegerIn(1, kMaxEpisodeSteps));
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] { RunEval(*args); });
}

}  // namespace mnemo
