#pragma once
// `isacbf bench --model-a`: Algorithm 1 (the full SCA of model A) on generated instances, end to end,
// on the GPU backend and on the CPU reference (all cores), per (form, Nt, K, batch), with the
// eigendecomposition floor of each problem's PSD blocks and CVXOPT's time per instance for small Nt.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace isacbf::apps {

struct ModelABenchOptions {
  std::string form = "both";          // reduced | full | both
  std::vector<int> nt;                // empty: reduced 8, 64, 256; full 8, 16, 32, 64 (issue 5's grid)
  std::vector<int> users;             // empty: 3, 8
  std::vector<int> batches;           // empty: 1, 16, 256, 1024, 4096, 16384
  std::uint64_t seed = 1;             // instance i of every case has seed + i
  int cvxopt_instances = 3;           // 0: no CVXOPT column
  int cvxopt_max_nt = 16;             // CVXOPT only for cases with Nt <= this
  int cpu_max_batch = 1024;           // CPU reference skipped (with a note) above this batch
  bool no_gpu = false;                // CPU and CVXOPT columns only
  double eps = 1e-5;                  // conic tolerance, as `isacbf solve --eps`
  std::string eig_method = "auto";
  std::string csv;
};

// Adds the options only this mode has (--model-a itself, --form, --nt, ...).
void add_model_a_bench_options(CLI::App& cmd, ModelABenchOptions& o);
// Throws InputError naming the option for a bad value.
void validate(const ModelABenchOptions& o);
void run_model_a_bench(const ModelABenchOptions& o);

}  // namespace isacbf::apps
