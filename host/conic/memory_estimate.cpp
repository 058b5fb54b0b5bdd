#include "host/conic/memory_estimate.hpp"

#include <unistd.h>

#include "host/conic/linsys_plan.hpp"

namespace isacbf::conic {

double estimated_memory_bytes(const ConicProblem& p, const Settings& st) {
  const double length = static_cast<double>(p.A.rows()) + static_cast<double>(p.A.cols()) + 1.0;
  double bytes = iterate_bytes_per_entry(st) * length + 300.0 * static_cast<double>(p.A.nonZeros());
  for (const int n : p.cones.psd_real) bytes += 4.0 * 8.0 * n * static_cast<double>(n);
  for (const int n : p.cones.psd_complex) bytes += 4.0 * 16.0 * n * static_cast<double>(n);
  // Planning the x-system costs work of the problem's size (the KKT pattern, its ordering): skipped when
  // the rest is already beyond the limit, as for a file declaring 2^26 variables.
  const double limit = memory_limit_bytes(st);
  if (limit > 0.0 && bytes > limit) return bytes;
  return bytes + plan_linear_system(p.A, st.linear_solver, st.memory_limit_gb * 1e9).factor_bytes;
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
