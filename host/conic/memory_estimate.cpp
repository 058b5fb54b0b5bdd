#include "host/conic/memory_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <functional>

#include "host/common/parallel_for.hpp"
#include "host/conic/linsys_plan.hpp"

namespace isacbf::conic {

namespace {

double entries(const ConicProblem& p) { return static_cast<double>(p.A.rows()) + static_cast<double>(p.A.cols()) + 1.0; }

}  // namespace

double held_memory_bytes(const ConicProblem& p) {
  return 12.0 * static_cast<double>(p.A.nonZeros()) + 3.0 * 8.0 * entries(p);
}

double working_memory_bytes(const ConicProblem& p, const Settings& st, double factor_bytes) {
  double bytes = (iterate_bytes_per_entry(st) - 3.0 * 8.0) * entries(p) + 288.0 * static_cast<double>(p.A.nonZeros());
  for (const int n : p.cones.psd_real) bytes += 4.0 * 8.0 * n * static_cast<double>(n);
  for (const int n : p.cones.psd_complex) bytes += 4.0 * 16.0 * n * static_cast<double>(n);
  // Planning the x-system costs work of the problem's size (the KKT pattern, its ordering): skipped when
  // the rest is already beyond the limit, as for a file declaring 2^26 variables.
  const double limit = memory_limit_bytes(st);
  if (limit > 0.0 && held_memory_bytes(p) + bytes > limit) return bytes;
  return bytes + plan_linear_system(p.A, st.linear_solver, factor_bytes).factor_bytes;
}

double estimated_memory_bytes(const ConicProblem& p, const Settings& st) {
  return held_memory_bytes(p) + working_memory_bytes(p, st, st.memory_limit_gb * 1e9);
}

std::size_t concurrent_instances(const Settings& st, std::size_t batch) {
  return std::max<std::size_t>(1, worker_count(batch, st.threads));  // as the CPU backend's parallel_for
}

double instance_memory_bytes(const Settings& st, std::size_t concurrent) {
  return memory_limit_bytes(st) / static_cast<double>(std::max<std::size_t>(1, concurrent));
}

double estimated_batch_memory_bytes(const std::vector<ConicProblem>& problems, const Settings& st, std::size_t concurrent) {
  const double share = instance_memory_bytes(st, concurrent);
  double held = 0.0;
  std::vector<double> working;
  working.reserve(problems.size());
  for (const ConicProblem& p : problems) {
    held += held_memory_bytes(p);
    working.push_back(working_memory_bytes(p, st, share));
  }
  const std::size_t running = std::min(concurrent, working.size());
  std::partial_sort(working.begin(), working.begin() + static_cast<std::ptrdiff_t>(running), working.end(), std::greater<>());
  for (std::size_t i = 0; i < running; ++i) held += working[i];
  return held;
}

double memory_limit_bytes(const Settings& st) {
  return st.memory_limit_gb > 0.0 ? st.memory_limit_gb * 1e9 : physical_memory_bytes();
}

double iterate_bytes_per_entry(const Settings& st) { return 8.0 * (2.0 * st.anderson_memory + 10.0); }

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

}  // namespace isacbf::conic
