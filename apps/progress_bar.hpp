#pragma once
// A one-line progress bar with rate and ETA on stderr, drawn only when stderr is a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace isacbf::apps {

class ProgressBar {
 public:
  ProgressBar() : enabled_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    if (first_) base_ = done, first_ = false;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done - base_) / secs : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    const int width = 30, fill = static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total));
    std::string bar(static_cast<std::size_t>(fill), '#');
    bar.resize(width, ' ');
    std::fprintf(stderr, "\r[%s] %zu/%zu  %.2f inst/s  ETA %s ", bar.c_str(), done, total, rate, clock(eta).c_str());
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  static std::string clock(double s) {
    const long t = static_cast<long>(s + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", t / 3600, (t / 60) % 60, t % 60);
    return buf;
  }
  bool enabled_;
  bool first_ = true;
  std::size_t base_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace isacbf::apps
