// Rollout results across the ranks of a job: each rank runs some episodes
// of a batch, and every rank gets the whole batch back in candidate order,
// bit for bit what one process would have computed.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/parallel/rank_group.h"
#include "envs/rollout_engine.h"

namespace mnemo {

// Bytes holding `results` (returns, lengths, reward terms, termination,
// observation statistics), exact to the bit.
std::string EncodeRolloutResults(std::span<const RolloutResult> results);

// What EncodeRolloutResults wrote; a malformed message is an Error.
std::vector<RolloutResult> DecodeRolloutResults(const std::string& bytes);

// What a rank sends of a batch: the batch indices of the episodes it ran
// (`indices`) and their `results`, in the same order.
std::string EncodeRolloutShare(std::span<const int> indices,
                               std::span<const RolloutResult> results);

// Collective: the batch of `count` results, gathered from every rank in
// candidate order; this rank ran the episodes `indices` (any subset, as
// ShareWork handed them out), with results `mine`. Every index must have
// been run by exactly one rank.
std::vector<RolloutResult> GatherRolloutResults(RankGroup& ranks, int count,
                                                std::span<const int> indices,
                                                std::span<const RolloutResult> mine);

}  // namespace mnemo
