// Progress of long work: a live line on a terminal, plain log lines otherwise.
#pragma once

#include <chrono>
#include <string>

namespace mnemo {

// Shows progress on stderr. On a terminal the line is redrawn in place (at
// most a few times a second); when stderr is a file or pipe, a plain line is
// written every `log_seconds` and on Finish.
class ProgressLine {
 public:
  // `log_seconds`: interval between plain lines when not on a terminal.
  explicit ProgressLine(double log_seconds = 10.0);

  // Updates the line with `text`; `fraction_done` in [0, 1] gives the time
  // left (negative: unknown).
  void Update(const std::string& text, double fraction_done);
  // Starts the clock again: elapsed time and time left count from now (after
  // setup that the estimate should not count).
  void Restart() { start_ = Clock::now(); }
  // Ends the live line (newline on a terminal) and prints `text` if not empty.
  void Finish(const std::string& text);
  // Prints `text` as a line of its own above the live line, which the next
  // Update redraws.
  void Log(const std::string& text);

 private:
  using Clock = std::chrono::steady_clock;
  bool terminal_;
  double log_seconds_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
};

// "1h02m", "3m20s", "12s".
std::string FormatDuration(double seconds);

}  // namespace mnemo
