#include "core/parallel/mpi_job.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/util/error.h"

#ifdef MNEMO_WITH_MPI
#include <mpi.h>
#endif

namespace mnemo {
namespace {

// The number of ranks a launcher says the job has (0: not launched; 1 when
// launched but the size is not given).
int LaunchedSize() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::max(1, std::atoi(v));
  }
  for (const char* name : {"PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return 1;
  }
  return 0;
}

#ifdef MNEMO_WITH_MPI

// The ranks of MPI_COMM_WORLD.
class MpiWorld final : public RankGroup {
 public:
  MpiWorld() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    MPI_Get_processor_name(name, &length);
    host_.assign(name, static_cast<std::size_t>(length));
  }
  int Rank() const override { return rank_; }
  int Size() const override { return size_; }
  std::string Host() const override { return host_; }

  void ShareWork(int count, int chunk, const std::function<void(int, int)>& run) override {
    ++traffic_.collectives;
    chunk = std::max(1, chunk);
    if (rank_ == 0) {
      Dispatch(count, chunk, run);
      return;
    }
    // The next request is sent before the current chunk runs, so that the
    // answer is waiting when the chunk ends (no round trip between chunks).
    using Clock = std::chrono::steady_clock;
    int range[2] = {0, 0};
    MPI_Request asked[2];
    const auto ask = [&] {
      MPI_Irecv(range, 2, MPI_INT, 0, kWorkReply, MPI_COMM_WORLD, &asked[1]);
      MPI_Isend(&chunk, 1, MPI_INT, 0, kWorkRequest, MPI_COMM_WORLD, &asked[0]);
      traffic_.bytes_sent += sizeof chunk;
    };
    ask();
    for (;;) {
      const auto start = Clock::now();
      MPI_Waitall(2, asked, MPI_STATUSES_IGNORE);
      traffic_.wait_seconds += std::chrono::duration<double>(Clock::now() - start).count();
      const int begin = range[0];
      const int end = range[1];
      if (begin >= end) return;
      ask();
      run(begin, end);
    }
  }

  std::vector<std::string> AllGather(const std::string& bytes) override {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    if (bytes.size() > static_cast<std::size_t>(1) << 30) {
      throw Error("MPI: a rank's message of " + std::to_string(bytes.size()) +
                  " bytes is over the 1 GiB limit");
    }
    const int mine = static_cast<int>(bytes.size());
    std::vector<int> counts(size_);
    MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
    std::vector<int> offsets(size_, 0);
    std::int64_t total = 0;
    for (int r = 0; r < size_; ++r) {
      offsets[r] = static_cast<int>(total);
      total += counts[r];
      if (total > (std::int64_t{1} << 31) - 1) {
        throw Error("MPI: one exchange of over 2 GiB (" + std::to_string(total) + " bytes)");
      }
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    MPI_Allgatherv(bytes.data(), mine, MPI_BYTE, all.data(), counts.data(), offsets.data(),
                   MPI_BYTE, MPI_COMM_WORLD);
    std::vector<std::string> out(size_);
    for (int r = 0; r < size_; ++r) out[r] = all.substr(offsets[r], counts[r]);
    ++traffic_.collectives;
    traffic_.bytes_sent += static_cast<std::int64_t>(sizeof mine + bytes.size());
    traffic_.wait_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    return out;
  }

 private:
  // Tags of ShareWork's messages: a rank asks for work (giving the least it
  // wants: its thread count), the leader answers with a range of items
  // (empty: none left, and the rank asks no more).
  static constexpr int kWorkRequest = 7301;
  static constexpr int kWorkReply = 7302;

  // The next chunk of `count` items from `next` (guided self-scheduling: a
  // share of what is left, at least `least`, so that the early chunks are
  // large and the last ones small); empty when none are left.
  std::pair<int, int> TakeChunk(std::mutex& mutex, int& next, int count, int least) const {
    std::lock_guard<std::mutex> lock(mutex);
    const int left = count - next;
    const int size = std::min(left, std::max(least, left / (2 * size_)));
    const std::pair<int, int> range{next, next + std::max(0, size)};
    next = range.second;
    return range;
  }

  // The leader's side of ShareWork: a helper thread runs chunks here while
  // this (the only MPI) thread hands chunks to the ranks that ask, until
  // every other rank has been told that none are left.
  void Dispatch(int count, int chunk, const std::function<void(int, int)>& run) {
    std::mutex mutex;
    int next = 0;
    std::exception_ptr failure;
    std::thread local([&] {
      try {
        for (auto r = TakeChunk(mutex, next, count, chunk); r.first < r.second;
             r = TakeChunk(mutex, next, count, chunk)) {
          run(r.first, r.second);
        }
      } catch (...) {
        failure = std::current_exception();
        std::lock_guard<std::mutex> lock(mutex);
        next = count;  // the other ranks get no more work
      }
    });
    int told_done = 0;
    while (told_done < size_ - 1) {
      int waiting = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kWorkRequest, MPI_COMM_WORLD, &waiting, &status);
      if (!waiting) {
        // Sleep rather than spin: the helper thread and other ranks may
        // share this core.
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        continue;
      }
      int least = 1;
      MPI_Recv(&least, 1, MPI_INT, status.MPI_SOURCE, kWorkRequest, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      const auto [begin, end] = TakeChunk(mutex, next, count, std::max(1, least));
      if (begin >= end) ++told_done;
      const int range[2] = {begin, end};
      MPI_Send(range, 2, MPI_INT, status.MPI_SOURCE, kWorkReply, MPI_COMM_WORLD);
      traffic_.bytes_sent += sizeof range;
    }
    local.join();
    if (failure) std::rethrow_exception(failure);
  }

  int rank_ = 0;
  int size_ = 1;
  std::string host_;
};

#endif  // MNEMO_WITH_MPI

}  // namespace

MpiJob::MpiJob([[maybe_unused]] int* argc, [[maybe_unused]] char*** argv) {
  const int launched = LaunchedSize();
#ifdef MNEMO_WITH_MPI
  if (launched > 0) {
    int provided = 0;
    // Only the main thread calls MPI; rollout threads never do.
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    initialized_ = true;
    world_ = std::make_shared<MpiWorld>();
    return;
  }
#else
  unusable_ = launched > 1;
#endif
  world_ = SingleProcessGroup();
}

void MpiJob::CheckUsable() const {
  if (unusable_) {
    throw Error(
        "started by mpirun as one of several ranks, but this build has no MPI (libopenmpi-dev "
        "was not found when it was built): install it (scripts/setup.sh), rebuild, or run "
        "without mpirun");
  }
}

MpiJob::~MpiJob() {
#ifdef MNEMO_WITH_MPI
  if (initialized_) MPI_Finalize();
#endif
}

void MpiJob::Abort([[maybe_unused]] int code) const {
#ifdef MNEMO_WITH_MPI
  if (initialized_ && world_->Size() > 1) MPI_Abort(MPI_COMM_WORLD, code);
#endif
}

bool MpiJob::Built() {
#ifdef MNEMO_WITH_MPI
  return true;
#else
  return false;
#endif
}

}  // namespace mnemo
