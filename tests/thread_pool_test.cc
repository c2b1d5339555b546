// Tests of core/parallel: the thread pool.
#include "core/parallel/thread_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <vector>

using namespace mnemo;

TEST_CASE("every index runs exactly once, on a valid worker") {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    CHECK(pool.Size() == threads);
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<std::atomic<int>> hits(97);
      std::atomic<int> bad_worker{0};
      pool.ParallelFor(97, [&](int worker, int i) {
        if (worker < 0 || worker >= threads) ++bad_worker;
        ++hits[i];
      });
      for (auto& h : hits) CHECK(h.load() == 1);
      CHECK(bad_worker.load() == 0);
    }
  }
}

TEST_CASE("an exception in a job reaches the caller and the pool stays usable") {
  ThreadPool pool(2);
  CHECK_THROWS_AS(pool.ParallelFor(50,
                                   [](int, int i) {
                                     if (i == 17) throw std::runtime_error("boom");
                                   }),
                  std::runtime_error);
  std::atomic<int> count{0};
  pool.ParallelFor(10, [&](int, int) { ++count; });
  CHECK(count.load() == 10);
}
