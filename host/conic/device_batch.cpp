#include "host/conic/device_batch.hpp"

#include <algorithm>
#include <cmath>

namespace isacbf::conic {

int woodbury_order(const Eigen::SparseMatrix<double>& A) {
  std::vector<int> count(static_cast<std::size_t>(A.rows()), 0);
  for (Eigen::Index j = 0; j < A.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(A, j); it; ++it) ++count[static_cast<std::size_t>(it.row())];
  return static_cast<int>(std::count_if(count.begin(), count.end(), [](int c) { return c > 1; }));
}

double device_bytes_per_instance(const ConicProblem& p, const Settings& st) {
  const double n = static_cast<double>(p.A.cols()), m = static_cast<double>(p.A.rows()), length = n + m + 1.0;
  const double r = woodbury_order(p.A), memory = st.anderson_memory;
  double doubles = 2.0 * static_cast<double>(p.A.nonZeros())  // CSR and CSC values
                   + 2.0 * r * r                                 // the factor and its staging copy
                   + 2.0 * length + 3.0 * n + 3.0 * m            // R, w0; c, D^-1, 1/E; b, 1/D, the staging r
                   + 6.0 * length + 3.0 * n + 2.0 * m + 2.0 * r  // iterates u, v, f, ut, z, g; rx, aty, res; ax, az; tv, qv
                   + (memory > 0.0 ? (2.0 * memory + 3.0) * length + 2.0 * memory * memory + 2.0 * memory : 0.0);
  for (const int k : p.cones.psd_real) doubles += 3.0 * k * static_cast<double>(k);          // matrix, vectors, rebuild
  for (const int k : p.cones.psd_complex) doubles += 2.0 * 3.0 * k * static_cast<double>(k);  // complex: two doubles each
  return kDeviceMemoryMargin * 8.0 * doubles;
}

std::size_t device_batch_capacity(double free_bytes, double bytes_per_instance, int max_batch) {
  const double fit = bytes_per_instance > 0.0 ? std::floor(0.9 * free_bytes / bytes_per_instance) : 1e18;
  std::size_t capacity = static_cast<std::size_t>(std::clamp(fit, 1.0, 1e18));
  if (max_batch > 0) capacity = std::min(capacity, static_cast<std::size_t>(max_batch));
  return capacity;
}

std::vector<std::vector<std::size_t>> cut_group(const std::vector<std::size_t>& members, std::size_t capacity) {
  capacity = std::max<std::size_t>(1, capacity);
  const std::size_t pieces = (members.size() + capacity - 1) / capacity;
  std::vector<std::vector<std::size_t>> out;
  std::size_t begin = 0;
  for (std::size_t k = 0; k < pieces; ++k) {
    const std::size_t size = (members.size() - begin) / (pieces - k);  // even sizes, none above capacity
    out.emplace_back(members.begin() + static_cast<std::ptrdiff_t>(begin), members.begin() + static_cast<std::ptrdiff_t>(begin + size));
    begin += size;
  }
  return out;
}

}  // namespace isacbf::conic
