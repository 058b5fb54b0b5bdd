#pragma once
// `isacbf bench --manifold`: the batched Riemannian CG of the HAD analog step (solver.md "Batched
// Riemannian kernels"), GPU vs the CPU reference (all cores), per (Nt, batch), on the analog-step
// problems of generated model-B instances (had_start_analog_problem: MO-AltMin start, weights (50)).
// With --altmin: the HAD starts instead, MO-AltMin (49) of generated instances as one lockstep batch
// (mo_altmin_batch) with its F steps on the GPU vs on the CPU's threads.
#include <cstdint>
#include <string>
#include <vector>

namespace isacbf::apps {

struct ManifoldBenchOptions {
  std::vector<int> nt;          // empty: 32, 64, 256
  std::vector<int> batches;     // empty: 1, 64, 256, 1024, 4096
  int n_rf = 8;                 // RF chains (<= every Nt)
  int distinct = 32;            // generated instances per Nt; a larger batch cycles through them with
                                // its own random unit-modulus starts (so every trajectory differs)
  std::uint64_t seed = 1;       // instance i has seed + i
  int cpu_max_batch = 1024;     // CPU reference skipped above this batch
  bool no_gpu = false;
  bool altmin = false;          // time MO-AltMin batches (every batch entry its own instance) instead
  std::string csv;
};

void validate(const ManifoldBenchOptions& o);  // InputError naming the option
void run_manifold_bench(const ManifoldBenchOptions& o);  // dispatches to the MO-AltMin table with o.altmin

}  // namespace isacbf::apps
