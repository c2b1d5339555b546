#include "core/parallel/mpi_job.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

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
