#include "host/conic/sdpa_solution.hpp"

#include <cmath>
#include <cstdlib>

#include "host/common/errors.hpp"
#include "host/conic/sdpa_reader.hpp"

namespace isacbf::conic {

std::vector<Eigen::MatrixXd> sdpa_blocks(const std::vector<long>& block_sizes, const Eigen::VectorXd& rows) {
  const std::vector<long> offset = sdpa_block_offsets(block_sizes);
  long needed = 0;
  for (const long s : block_sizes) needed += s >= 2 ? s * (s + 1) / 2 : std::labs(s);
  if (rows.size() != needed)
    throw InputError("rows", "holds " + std::to_string(rows.size()) + " entries, the blocks need " + std::to_string(needed));
  const double inv_sqrt2 = 1.0 / std::sqrt(2.0);
  std::vector<Eigen::MatrixXd> blocks;
  blocks.reserve(block_sizes.size());
  for (std::size_t k = 0; k < block_sizes.size(); ++k) {
    const long s = block_sizes[k];
    const long n = std::labs(s);
    if (s < 0) {
      blocks.emplace_back(rows.segment(offset[k], n));
      continue;
    }
    Eigen::MatrixXd m(n, n);
    long r = offset[k];  // svec: column-major lower triangle, off-diagonal entries times sqrt(2)
    for (long j = 0; j < n; ++j) {
      m(j, j) = rows[r++];
      for (long i = j + 1; i < n; ++i) m(i, j) = m(j, i) = rows[r++] * inv_sqrt2;
    }
    blocks.push_back(std::move(m));
  }
  return blocks;
}

}  // namespace isacbf::conic
