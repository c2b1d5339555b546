// The subcommands of `mnemo`, each defined in its own file.
#pragma once

#include <CLI/CLI.hpp>

namespace mnemo {

// Adds every subcommand to `app`.
void AddCommands(CLI::App& app);

// `mnemo list [--json]`.
void AddListCommand(CLI::App& app);
// `mnemo rollout-bench [--task T] [--threads N] [--seconds S] [--json]`.
void AddRolloutBenchCommand(CLI::App& app);
// `mnemo train [CONFIG] [--set k=v]... [--out DIR] [--resume DIR]`.
void AddTrainCommand(CLI::App& app);
// `mnemo eval POLICY [--episodes N] [--seed S] [--threads T] [--xml FILE]
// [--max-steps N] [--json]`.
void AddEvalCommand(CLI::App& app);
// `mnemo meta-train CONFIG.yaml [--out DIR] [--resume DIR] [--weights FILE]`.
void AddMetaTrainCommand(CLI::App& app);
// `mnemo meta-eval CONFIG.yaml [--json FILE]`.
void AddMetaEvalCommand(CLI::App& app);
// `mnemo bench CONFIG.yaml [--out DIR] [--jobs N] [--tasks T,..] [--methods M,..]
// [--shard K/N]`.
void AddBenchCommand(CLI::App& app);

}  // namespace mnemo
