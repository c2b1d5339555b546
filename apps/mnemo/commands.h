// The subcommands of `mnemo`, each defined in its own file.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>

#include "core/parallel/rank_group.h"

namespace mnemo {

// Adds every subcommand to `app`. `world` is the MPI job's ranks: train,
// meta-train and bench share their work over them; the other commands run
// as one process and refuse a job of several ranks.
void AddCommands(CLI::App& app, const std::shared_ptr<RankGroup>& world);

// `mnemo list [--json]`.
void AddListCommand(CLI::App& app);
// `mnemo rollout-bench [--task T] [--threads N] [--seconds S] [--json]`.
void AddRolloutBenchCommand(CLI::App& app);
// `mnemo train [CONFIG] [--set k=v]... [--out DIR] [--resume DIR]`.
void AddTrainCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world);
// `mnemo eval POLICY [--episodes N] [--seed S] [--threads T] [--xml FILE]
// [--max-steps N] [--json]`.
void AddEvalCommand(CLI::App& app);
// `mnemo meta-train CONFIG.yaml [--out DIR] [--resume DIR] [--weights FILE]`.
void AddMetaTrainCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world);
// `mnemo meta-eval CONFIG.yaml [--json FILE]`.
void AddMetaEvalCommand(CLI::App& app);
// `mnemo bench CONFIG.yaml [--out DIR] [--jobs N] [--tasks T,..] [--methods M,..]
// [--shard K/N]`.
void AddBenchCommand(CLI::App& app, const std::shared_ptr<RankGroup>& world);

}  // namespace mnemo
