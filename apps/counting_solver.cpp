#include "apps/counting_solver.hpp"

#include <algorithm>

#include "apps/eig_floor.hpp"
#include "cuda/gpu_api.hpp"

namespace isacbf::apps {

std::vector<conic::Solution> CountingSolver::solve(const std::vector<conic::ConicProblem>& batch,
                                                   const conic::Settings& settings,
                                                   const std::vector<conic::WarmStart>& warm_starts) {
  auto solutions = inner_.solve(batch, settings, warm_starts);
  if (batch.empty()) return solutions;
  std::lock_guard<std::mutex> lock(mutex_);
  int longest = 0;
  for (const auto& s : solutions) {
    counts_.instance_iterations += s.iterations;
    longest = std::max(longest, s.iterations);
  }
  double floor_per_iteration = 0.0;  // one projection of every PSD block of every instance
  for (int n : batch.front().cones.psd_complex) floor_per_iteration += h100_eig_floor_us(n);
  floor_per_iteration *= static_cast<double>(batch.size());
  ++counts_.calls;
  counts_.batch_iterations += longest;
  counts_.floor_us += floor_per_iteration * longest;
  if (inner_.backend() == conic::Backend::gpu) {
    const auto stats = gpu::last_solve_stats();
    counts_.gpu_loop_seconds += stats.loop_seconds;
    counts_.gpu_loop_iterations += stats.loop_iterations;
  }
  return solutions;
}

}  // namespace isacbf::apps
