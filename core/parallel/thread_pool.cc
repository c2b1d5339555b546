#include "core/parallel/thread_pool.h"

#include <algorithm>

#include "core/util/error.h"

namespace mnemo {

int DefaultThreadCount() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int CheckThreadCount(long long threads, const std::string& where) {
  if (threads < 0 || threads > kMaxThreads) {
    throw Error({"", 0, where}, "must be a thread count from 0 (all cores) to " +
                                    std::to_string(kMaxThreads) + ", not " +
                                    std::to_string(threads));
  }
  return static_cast<int>(threads);
}

ThreadPool::ThreadPool(int threads)
    : size_(CheckThreadCount(threads, "threads") == 0 ? DefaultThreadCount() : threads) {
  // Worker 0 is the calling thread; the others wait for batches.
  for (int w = 1; w < size_; ++w) {
    threads_.emplace_back([this, w] { WorkerLoop(w); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::Drain(int worker) {
  while (true) {
    int index;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_ >= count_) return;
      index = next_++;
    }
    try {
      (*job_)(worker, index);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_ = count_;  // stop handing out work
    }
  }
}

void ThreadPool::WorkerLoop(int worker) {
  std::uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      ++active_;
    }
    Drain(worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --active_;
    }
    done_.notify_all();
  }
}

void ThreadPool::ParallelFor(int count, const std::function<void(int, int)>& job) {
  if (count <= 0) return;
  if (size_ == 1) {
    for (int i = 0; i < count; ++i) job(0, i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &job;
    count_ = count;
    next_ = 0;
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  Drain(0);
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return active_ == 0 && next_ >= count_; });
    job_ = nullptr;
    error = error_;
    error_ = nullptr;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace mnemo
