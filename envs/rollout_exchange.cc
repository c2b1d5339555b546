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

std::vector<RolloutResult> GatherRolloutResults(RankGroup& ranks, int count,
                                                std::span<const RolloutResult> mine) {
  const std::vector<std::string> parts = ranks.AllGather(EncodeRolloutResults(mine));
  std::vector<RolloutResult> all;
  all.reserve(count);
  for (int r = 0; r < ranks.Size(); ++r) {
    std::vector<RolloutResult> slice = DecodeRolloutResults(parts[r]);
    const auto [begin, end] = RankSlice(count, r, ranks.Size());
    if (static_cast<int>(slice.size()) != end - begin) {
      throw Error("rank " + std::to_string(r) + " sent " + std::to_string(slice.size()) +
                  " rollout results for a slice of " + std::to_string(end - begin));
    }
    for (RolloutResult& result : slice) all.push_back(std::move(result));
  }
  return all;
}

}  // namespace mnemo
