#include "python/src/interruptible.h"

#include <pybind11/pybind11.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace mnemo::python {

namespace py = pybind11;

void RunInterruptible(const std::function<void()>& work, const std::function<void()>& cancel,
                      const std::function<void()>& between) {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    finished.notify_all();
  });
  try {
    for (bool over = false; !over;) {
      {
        py::gil_scoped_release release;
        std::unique_lock<std::mutex> lock(mutex);
        over = finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; });
      }
      if (between) between();
      if (!over && PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  } catch (...) {
    cancel();
    {
      py::gil_scoped_release release;
      worker.join();
    }
    throw;
  }
  worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace mnemo::python
