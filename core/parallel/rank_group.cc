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
