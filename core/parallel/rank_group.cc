#include "core/parallel/rank_group.h"

#include <algorithm>
#include <filesystem>
#include <new>

namespace mnemo {

std::vector<std::string> SingleProcess::AllGather(const std::string& bytes) {
  ++traffic_.collectives;
  return {bytes};
}

void SingleProcess::ShareWork(int count, int, const std::function<void(int, int)>& run) {
  ++traffic_.collectives;
  if (count > 0) run(0, count);
}

std::shared_ptr<RankGroup> SingleProcessGroup() { return std::make_shared<SingleProcess>(); }

std::pair<int, int> RankSlice(int count, int rank, int size) {
  const int base = count / size;
  const int extra = count % size;
  const int begin = rank * base + std::min(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

namespace {

// `facts` as one string: each key and value with its length before it.
std::string PackFacts(const std::vector<RankFact>& facts) {
  std::string bytes;
  for (const auto& [key, value] : facts) {
    for (const std::string* part : {&key, &value}) {
      bytes += std::to_string(part->size()) + ":" + *part;
    }
  }
  return bytes;
}

// The facts PackFacts packed (as far as they are well formed).
std::vector<RankFact> UnpackFacts(const std::string& bytes) {
  std::vector<RankFact> facts;
  std::size_t at = 0;
  std::string parts[2];
  for (int part = 0; at < bytes.size(); part = 1 - part) {
    const std::size_t colon = bytes.find(':', at);
    if (colon == std::string::npos) break;
    const std::size_t size = std::stoul(bytes.substr(at, colon - at));
    parts[part] = bytes.substr(colon + 1, size);
    at = colon + 1 + size;
    if (part == 1) facts.emplace_back(parts[0], parts[1]);
  }
  return facts;
}

// `value` as an error message shows it (long ones cut).
std::string Shown(const std::string& value) {
  return value.size() <= 80 ? "'" + value + "'" : "'" + value.substr(0, 77) + "...'";
}

// How rank `rank`'s sorted `mine` first differs from the leader's sorted
// `leader` ("" when they are the same).
std::string FirstDifference(int rank, const std::vector<RankFact>& mine,
                            const std::vector<RankFact>& leader) {
  const std::string who = "rank " + std::to_string(rank) + ": ";
  for (std::size_t i = 0; i < std::max(mine.size(), leader.size()); ++i) {
    if (i < mine.size() && i < leader.size() && mine[i] == leader[i]) continue;
    if (i < mine.size() && (i >= leader.size() || mine[i].first < leader[i].first)) {
      return who + "its " + mine[i].first + " is " + Shown(mine[i].second) + ", rank 0 has none";
    }
    if (i >= mine.size() || leader[i].first < mine[i].first) {
      return who + "it has no " + leader[i].first + ", rank 0's is " + Shown(leader[i].second);
    }
    return who + "its " + mine[i].first + " is " + Shown(mine[i].second) + ", rank 0's is " +
           Shown(leader[i].second);
  }
  return "";
}

}  // namespace

void AgreeOnFacts(RankGroup& ranks, std::vector<RankFact> facts) {
  if (ranks.Size() == 1) return;
  std::sort(facts.begin(), facts.end());
  const std::vector<std::string> all = ranks.AllGather(PackFacts(facts));
  const std::vector<RankFact> leader = UnpackFacts(all[0]);
  for (int r = 1; r < static_cast<int>(all.size()); ++r) {
    const std::string difference = FirstDifference(r, UnpackFacts(all[r]), leader);
    if (!difference.empty()) {
      throw SharedError(difference +
                        "; every rank must run the same command on the same config and files");
    }
  }
}

void AgreeOnSetup(RankGroup& ranks, const std::function<void()>& setup) {
  if (ranks.Size() == 1) {
    setup();
    return;
  }
  // An empty message means success; a failure's message is never empty.
  std::string message;
  try {
    setup();
  } catch (const Error& e) {
    message = e.what();
  } catch (const std::filesystem::filesystem_error& e) {
    message = OneLine(e.what());
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  }
  const std::vector<std::string> outcomes = ranks.AllGather(message.empty() ? "" : "!" + message);
  for (int r = 0; r < static_cast<int>(outcomes.size()); ++r) {
    if (!outcomes[r].empty())
      throw SharedError("rank " + std::to_string(r) + ": " + outcomes[r].substr(1));
  }
}

}  // namespace mnemo
