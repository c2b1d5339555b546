#include "apps/lib/training/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace mnemo {

std::string FormatDuration(double seconds) {
  if (seconds < 0) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

ProgressLine::ProgressLine(double log_seconds)
    : terminal_(isatty(fileno(stderr)) != 0),
      log_seconds_(log_seconds),
      start_(Clock::now()),
      last_draw_(start_) {}

void ProgressLine::Update(const std::string& text, double fraction_done) {
  const auto now = Clock::now();
  const double since_draw = std::chrono::duration<double>(now - last_draw_).count();
  const double interval = terminal_ ? 0.2 : log_seconds_;
  if (drawn_ && since_draw < interval) return;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string left = "?";
  if (fraction_done > 1e-6) left = FormatDuration(elapsed * (1 - fraction_done) / fraction_done);
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s | %s elapsed, %s left", text.c_str(),
                 FormatDuration(elapsed).c_str(), left.c_str());
  } else {
    std::fprintf(stderr, "%s | %s elapsed, %s left\n", text.c_str(),
                 FormatDuration(elapsed).c_str(), left.c_str());
  }
  std::fflush(stderr);
  last_draw_ = now;
  drawn_ = true;
}

void ProgressLine::Log(const std::string& text) {
  if (terminal_ && drawn_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressLine::Finish(const std::string& text) {
  if (terminal_ && drawn_) std::fprintf(stderr, "\n");
  if (!text.empty()) std::fprintf(stderr, "%s\n", text.c_str());
  drawn_ = false;
}

}  // namespace mnemo
