// Training in a background thread while the viewer watches: the Trainer of
// `mnemo train`, its newest policy, and its progress.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "apps/lib/training/trainer.h"

namespace mnemo {

// Owns a Trainer and the thread that runs it. The destructor stops the
// trainer and waits for it.
class LiveTraining {
 public:
  // Prepares a new run of `config` in `run_dir` (an Error for bad input,
  // e.g. a folder that already holds a run). Nothing runs until Start.
  LiveTraining(TrainConfig config, const std::string& run_dir);
  ~LiveTraining();
  LiveTraining(const LiveTraining&) = delete;
  LiveTraining& operator=(const LiveTraining&) = delete;

  // Starts training in the background.
  void Start();
  // Stops the trainer at once, abandoning the iteration in progress (the
  // run folder keeps the last finished one), and waits for it.
  void StopAndWait();
  // The newest policy (thread-safe).
  SavedPolicy CurrentPolicy() const { return trainer_->CurrentPolicy(); }
  // The last iteration's report (thread-safe; iteration 0 before the first).
  IterationReport LastReport() const;
  // Whether training has ended (budget reached, stopped, or failed).
  bool Finished() const { return finished_; }
  // Why training failed ("" when it did not).
  std::string Failure() const;
  // Throws what made training fail, if it failed (after StopAndWait).
  void RethrowFailure() const;
  const std::string& RunDir() const { return trainer_->RunDir(); }
  const TrainConfig& Config() const { return trainer_->Config(); }

 private:
  std::unique_ptr<Trainer> trainer_;   // the run
  std::thread thread_;                 // runs trainer_->Run
  std::atomic<bool> finished_{false};  // set when Run has returned or thrown
  mutable std::mutex mutex_;           // guards report_, failure_ and error_
  IterationReport report_;             // the last iteration's report
  std::string failure_;                // what() of the exception that ended training
  std::exception_ptr error_;           // that exception, to rethrow
};

// Lowers the calling thread's CPU priority, and that of the threads it
// starts afterwards (such as a software OpenGL renderer's workers), so that
// drawing takes only what training leaves over. Threads started before, such
// as the trainer's, keep theirs. Linux; elsewhere it does nothing.
void YieldToTraining();

}  // namespace mnemo
