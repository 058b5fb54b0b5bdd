#pragma once
// Runs body(i) for i in [0, n) over std::threads (threads 0: all cores), each index once, in no fixed
// order. The first exception a body throws is re-thrown on the calling thread after every worker has
// stopped (the remaining indices are skipped).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace isacbf {

// The workers parallel_for runs for n indices: `threads` (0: all cores), at most n (0 when n is 0).
inline unsigned worker_count(std::size_t n, int threads) {
  const unsigned count = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(count, n));
}

template <typename Body>
void parallel_for(std::size_t n, Body&& body, int threads = 0) {
  const unsigned count = worker_count(n, threads);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < n && !failed; i = next++) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  if (count <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < count; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace isacbf
