#include "envs/rollout_exchange.h"

#include <sstream>

#include "core/io/binary_io.h"
#include "core/util/error.h"

namespace mnemo {

std::string EncodeRolloutResults(std::span<const RolloutResult> results) {
  std::ostringstream bytes;
  BinaryWriter out(bytes);
  out.WriteU64(results.size());
  for (const RolloutResult& r : results) {
    out.WriteDouble(r.total_return);
    out.WriteDouble(r.shifted_return);
    out.WriteI64(r.length);
    for (double term : r.term_sums) out.WriteDouble(term);
    out.WriteI64(static_cast<std::int64_t>(r.termination));
    out.WriteI64(r.obs_stats.Count());
    out.WriteVec(r.obs_stats.Mean());
    out.WriteVec(r.obs_stats.SquaredDeviations());
  }
  return bytes.str();
}

std::vector<RolloutResult> DecodeRolloutResults(const std::string& bytes) {
  std::istringstream stream(bytes);
  BinaryReader in(stream, "rollout results from another rank");
  const std::uint64_t count = in.ReadU64();
  if (count > bytes.size() / 8) throw Error("rollout results from another rank: corrupt count");
  std::vector<RolloutResult> results(count);
  for (RolloutResult& r : results) {
    r.total_return = in.ReadDouble();
    r.shifted_return = in.ReadDouble();
    r.length = static_cast<int>(in.ReadI64());
    for (double& term : r.term_sums) term = in.ReadDouble();
    const std::int64_t termination = in.ReadI64();
    if (termination < 0 || termination > static_cast<std::int64_t>(Termination::kUnstable)) {
      throw Error("rollout results from another rank: unknown termination");
    }
    r.termination = static_cast<Termination>(termination);
    const std::int64_t obs_count = in.ReadI64();
    Vec mean = in.ReadVec();
    Vec m2 = in.ReadVec();
    if (mean.size() > 0) r.obs_stats = RunningStats::FromMoments(obs_count, mean, m2);
  }
  in.ExpectEnd();
  return results;
}

std::string EncodeRolloutShare(std::span<const int> indices,
                               std::span<const RolloutResult> results) {
  std::ostringstream message;
  BinaryWriter out(message);
  out.WriteU64(indices.size());
  for (int i : indices) out.WriteI64(i);
  out.WriteBytes(EncodeRolloutResults(results));
  return message.str();
}

std::vector<RolloutResult> GatherRolloutResults(RankGroup& ranks, int count,
                                                std::span<const int> indices,
                                                std::span<const RolloutResult> mine) {
  const std::vector<std::string> parts = ranks.AllGather(EncodeRolloutShare(indices, mine));
  std::vector<RolloutResult> all(count);
  std::vector<bool> filled(count, false);
  int received = 0;
  for (int r = 0; r < ranks.Size(); ++r) {
    std::istringstream bytes(parts[r]);
    BinaryReader in(bytes, "rollout results from rank " + std::to_string(r));
    const std::uint64_t n = in.ReadU64();
    if (n > static_cast<std::uint64_t>(count)) {
      throw Error("rank " + std::to_string(r) + " sent more rollout results than the batch has");
    }
    std::vector<int> slots(n);
    for (int& slot : slots) {
      const std::int64_t i = in.ReadI64();
      if (i < 0 || i >= count || filled[i]) {
        throw Error("rank " + std::to_string(r) + " sent a rollout result for episode " +
                    std::to_string(i) + " of a batch of " + std::to_string(count) +
                    " (out of range or already run elsewhere)");
      }
      filled[i] = true;
      slot = static_cast<int>(i);
    }
    const std::size_t results_at = static_cast<std::size_t>(bytes.tellg());
    std::vector<RolloutResult> results = DecodeRolloutResults(parts[r].substr(results_at));
    if (results.size() != n) {
      throw Error("rank " + std::to_string(r) + " sent " + std::to_string(results.size()) +
                  " rollout results for " + std::to_string(n) + " episodes");
    }
    for (std::uint64_t k = 0; k < n; ++k) all[slots[k]] = std::move(results[k]);
    received += static_cast<int>(n);
  }
  if (received != count) {
    throw Error("the ranks ran " + std::to_string(received) + " of a batch's " +
                std::to_string(count) + " episodes");
  }
  return all;
}

}  // namespace mnemo
