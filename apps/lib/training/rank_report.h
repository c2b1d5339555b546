// ranks.csv: what each rank of an MPI job did in one session of a run (its
// share of the episodes, the time it computed and the time it waited for the
// others, and the bytes it sent), so that the balance of the split and the
// traffic can be read from the run itself.
#pragma once

#include <string>

#include "core/parallel/rank_group.h"
#include "envs/rollout_engine.h"

namespace mnemo {

// Collective: gathers every rank's `load` and traffic over a session of
// `iterations` iterations, and the leader appends one row per rank to
// `<run_dir>/ranks.csv` (the header first when the file is new). Does
// nothing for a job of one rank.
void AppendRankReport(RankGroup& ranks, const RolloutLoad& load, int iterations,
                      const std::string& run_dir);

}  // namespace mnemo
