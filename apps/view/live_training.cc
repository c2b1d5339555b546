#include "apps/view/live_training.h"

#include <exception>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace mnemo {

LiveTraining::LiveTraining(TrainConfig config, const std::string& run_dir)
    : trainer_(std::make_unique<Trainer>(std::move(config), run_dir)) {}

LiveTraining::~LiveTraining() { StopAndWait(); }

void LiveTraining::Start() {
  if (thread_.joinable() || finished_) return;
  thread_ = std::thread([this] {
    try {
      trainer_->Run([this](const IterationReport& r) {
        std::lock_guard<std::mutex> lock(mutex_);
        report_ = r;
      });
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      failure_ = e.what();
      error_ = std::current_exception();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      failure_ = "unknown error";
      error_ = std::current_exception();
    }
    finished_ = true;
  });
}

void LiveTraining::StopAndWait() {
  trainer_->Cancel();
  if (thread_.joinable()) thread_.join();
}

IterationReport LiveTraining::LastReport() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return report_;
}

std::string LiveTraining::Failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void LiveTraining::RethrowFailure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

void YieldToTraining() {
#if defined(__linux__)
  // Linux keeps a nice value per thread; new threads inherit the creator's.
  constexpr int kNice = 10;
  const int current = getpriority(PRIO_PROCESS, gettid());
  if (current < kNice) setpriority(PRIO_PROCESS, gettid(), kNice);
#endif
}

}  // namespace mnemo
