#pragma once
// A BatchSolver that forwards to another and counts what the benchmark reports: ADMM iterations
// (per instance and per batched loop), the eigendecomposition floor of those loops, and on the GPU
// the loop time of every solve (gpu::last_solve_stats only keeps the last one).
#include <mutex>

#include "host/conic/batch_solver.hpp"

namespace isacbf::apps {

struct SolveCounts {
  long long calls = 0;
  long long instance_iterations = 0;  // sum over every solved problem
  long long batch_iterations = 0;     // sum over calls of the batch's largest count (the loop's length)
  double floor_us = 0.0;              // sum over calls: batch iterations x H100 eig floor of all its PSD blocks
  double gpu_loop_seconds = 0.0;      // GPU only (SolveStats), summed over calls
  long long gpu_loop_iterations = 0;
};

class CountingSolver : public conic::BatchSolver {
 public:
  explicit CountingSolver(conic::BatchSolver& inner) : inner_(inner) {}
  conic::Backend backend() const override { return inner_.backend(); }
  // Forwarded, so the drivers time the path `isacbf solve` takes (threads per instance on the CPU);
  // the counts are then updated under a lock.
  bool concurrent_single_calls() const override { return inner_.concurrent_single_calls(); }
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm_starts = {}) override;
  const SolveCounts& counts() const { return counts_; }

 private:
  conic::BatchSolver& inner_;
  SolveCounts counts_;
  std::mutex mutex_;
};

}  // namespace isacbf::apps
