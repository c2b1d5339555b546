#include "apps/lib/training/rank_report.h"

#include <sstream>

#include "apps/lib/training/run_files.h"
#include "core/io/binary_io.h"
#include "core/io/file_system.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

constexpr const char* kRanksHeader =
    "session_utc,rank,host,iterations,episodes,env_steps,busy_seconds,wait_seconds,collectives,"
    "bytes_sent,bytes_per_iteration,idle_fraction";

}  // namespace

void AppendRankReport(RankGroup& ranks, const RolloutLoad& load, int iterations,
                      const std::string& run_dir) {
  if (ranks.Size() == 1) return;
  const RankTraffic traffic = ranks.Traffic();
  std::ostringstream mine;
  BinaryWriter out(mine);
  out.WriteString(ranks.Host());
  out.WriteI64(load.episodes);
  out.WriteI64(load.env_steps);
  out.WriteDouble(load.busy_seconds);
  out.WriteDouble(traffic.wait_seconds);
  out.WriteI64(traffic.collectives);
  out.WriteI64(traffic.bytes_sent);
  const std::vector<std::string> rows = ranks.AllGather(mine.str());
  if (!ranks.IsLeader()) return;
  const std::string path = run_dir + "/ranks.csv";
  // Never through a symbolic link: a run folder may be shared.
  const RegularFile file = RegularFile::OpenToAppend(path, true, false);
  std::ostringstream csv;
  if (file.Size() == 0) csv << kRanksHeader << '\n';
  const std::string now = UtcNow();
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    std::istringstream bytes(rows[r]);
    BinaryReader in(bytes, "rank report of rank " + std::to_string(r));
    const std::string host = in.ReadString();
    const std::int64_t episodes = in.ReadI64();
    const std::int64_t env_steps = in.ReadI64();
    const double busy = in.ReadDouble();
    const double wait = in.ReadDouble();
    const std::int64_t collectives = in.ReadI64();
    const std::int64_t sent = in.ReadI64();
    csv << now << ',' << r << ',' << host << ',' << iterations << ',' << episodes << ','
        << env_steps << ',' << busy << ',' << wait << ',' << collectives << ',' << sent << ','
        << (iterations > 0 ? double(sent) / iterations : 0.0) << ','
        << (busy + wait > 0 ? wait / (busy + wait) : 0.0) << '\n';
  }
  file.Append(csv.str());
}

}  // namespace mnemo
