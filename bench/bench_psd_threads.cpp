// Throughput of LAPACK PSD projections from several threads at once, as the batch solver runs them (one
// instance per thread): each thread projects the same random Hermitian (or symmetric) block `reps` times
// through its own ConeProjector (lapack_evd). Reports whether this OpenBLAS lets the calls run
// concurrently (threaded builds) or serialises them (the sequential build; host/conic/psd_lapack.cpp).
//   build/bench/bench_psd_threads [n=24] [threads=2] [reps=2000] [complex=1]
// Compare libraries without rebuilding: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-serial ...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

#include "host/conic/cone_projector.hpp"
#include "host/conic/psd_lapack.hpp"

int main(int argc, char** argv) {
  using namespace isacbf::conic;
  const int n = argc > 1 ? std::atoi(argv[1]) : 24, threads = argc > 2 ? std::atoi(argv[2]) : 2,
            reps = argc > 3 ? std::atoi(argv[3]) : 2000;
  const bool complex = argc > 4 ? std::atoi(argv[4]) != 0 : true;
  if (n < 1 || threads < 1 || reps < 1) {
    std::fprintf(stderr, "usage: bench_psd_threads [n >= 1] [threads >= 1] [reps >= 1] [complex 0|1]\n");
    return 2;
  }
  if (!lapack_available()) {
    std::fprintf(stderr, "built without LAPACK (ISACBF_WITH_LAPACK): nothing to measure\n");
    return 2;
  }
  ConeSpec cones;
  (complex ? cones.psd_complex : cones.psd_real).push_back(n);
  std::vector<double> x0(complex ? n * n : n * (n + 1) / 2);
  std::mt19937 rng(1);
  std::normal_distribution<double> normal;
  for (double& v : x0) v = normal(rng);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      ConeProjector projector(cones, 0, PsdMethod::lapack_evd);
      for (int r = 0; r < reps; ++r) {
        std::vector<double> x = x0;
        projector.project_dual(x.data());
      }
    });
  for (auto& th : pool) th.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%s n=%d threads=%d lapack_calls_concurrent=%d: %.1f us per projection per thread, %.0f projections/s\n",
              complex ? "complex" : "real", n, threads, lapack_calls_concurrent() ? 1 : 0, 1e6 * s / reps,
              threads * reps / s);
  return 0;
}
