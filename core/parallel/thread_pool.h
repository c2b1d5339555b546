// A fixed pool of worker threads for batches of independent jobs.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mnemo {

// Runs `ParallelFor` batches on a fixed set of workers. Worker w always has
// the same id, so callers can give each worker one reusable workspace.
// With one thread, jobs run inline on the calling thread.
class ThreadPool {
 public:
  // A pool of `threads` workers (0 means the hardware concurrency); more
  // than kMaxThreads, or a negative count, is an Error.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Number of workers (ids 0 .. Size()-1).
  int Size() const { return size_; }

  // Calls job(worker, index) for every index in [0, count), spread over the
  // workers, and returns when all are done. The first exception thrown by a
  // job is rethrown here after the batch ends.
  void ParallelFor(int count, const std::function<void(int worker, int index)>& job);

 private:
  // Body of worker thread `worker`.
  void WorkerLoop(int worker);
  // Takes and runs indices of the current batch until none are left.
  void Drain(int worker);

  int size_;                                            // workers, the calling thread included
  std::vector<std::thread> threads_;                    // workers 1 .. size_-1
  std::mutex mutex_;                                    // guards the batch state below
  std::condition_variable wake_;                        // new batch or stopping
  std::condition_variable done_;                        // a worker left the batch
  const std::function<void(int, int)>* job_ = nullptr;  // the current batch's job
  int count_ = 0;                                       // indices in the current batch
  int next_ = 0;                                        // next index to hand out
  int active_ = 0;                                      // workers (not the caller) in the batch
  std::uint64_t generation_ = 0;                        // batches started (wakes the workers)
  bool stopping_ = false;                               // set by the destructor
  std::exception_ptr error_;                            // first exception of the batch
};

// The number of threads to use when a config says 0 ("all cores").
int DefaultThreadCount();

// The most threads any config or command-line option may ask for (train,
// eval, bench, rollout-bench, meta-train, meta-eval, the viewer's
// training): a count of 100000 would exhaust the machine's process limit,
// other users' processes included.
constexpr int kMaxThreads = 1024;

// `threads` when it is a thread count a config or an option may give, 0
// ("all cores") to kMaxThreads; else an Error naming `where` (the option or
// key, "" for none) that says the range.
int CheckThreadCount(long long threads, const std::string& where);

}  // namespace mnemo
