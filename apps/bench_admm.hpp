#pragma once
// `isacbf bench` (default mode): the batched ADMM on the synthetic model-A-shaped problem
// (host/bench/synthetic_p4.hpp), GPU vs the CPU reference on the same instances.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace isacbf::apps {

struct AdmmBenchOptions {
  int users = 3;
  int order = 4;
  std::vector<int> batches;  // empty: 1, 16, 256, 1024, 4096, 16384
  double eps = 1e-5;
  int max_iters = 20000;
  int fixed_iters = 0;       // > 0: run exactly this many iterations (tolerance 1e-30) to time an iteration
  int cpu_max_batch = 16384; // skip the CPU reference above this batch
  bool no_cpu = false;
  bool cpu_plain = false;
  bool skip_warmup = false;  // for profilers: the first kernels are then the measured batch's
  std::string eig_method = "auto";
  std::string csv;
};

void add_admm_bench_options(CLI::App& cmd, AdmmBenchOptions& o);
void run_admm_bench(const AdmmBenchOptions& o);

}  // namespace isacbf::apps
