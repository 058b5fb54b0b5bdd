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

Eigen::VectorXd sdpa_rows(const std::vector<long>& block_sizes, const std::vector<Eigen::MatrixXd>& blocks) {
  if (blocks.size() != block_sizes.size())
    throw InputError("blocks", "holds " + std::to_string(blocks.size()) + " blocks, the file has " + std::to_string(block_sizes.size()));
  const std::vector<long> offset = sdpa_block_offsets(block_sizes);
  long total = 0;
  for (const long s : block_sizes) total += s >= 2 ? s * (s + 1) / 2 : std::labs(s);
  Eigen::VectorXd rows(total);
  const double sqrt2 = std::sqrt(2.0);
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const long s = block_sizes[k];
    const long n = std::labs(s);
    const Eigen::MatrixXd& m = blocks[k];
    const long want_cols = s < 0 ? 1 : n;
    if (m.rows() != n || m.cols() != want_cols)
      throw InputError("blocks[" + std::to_string(k) + "]", "is " + std::to_string(m.rows()) + " x " + std::to_string(m.cols()) +
                                                             ", the file's block needs " + std::to_string(n) + " x " + std::to_string(want_cols));
    if (s < 0) {
      rows.segment(offset[k], n) = m.col(0);
      continue;
    }
    long r = offset[k];
    for (long j = 0; j < n; ++j) {
      rows[r++] = m(j, j);
      for (long i = j + 1; i < n; ++i) rows[r++] = 0.5 * (m(i, j) + m(j, i)) * sqrt2;
    }
  }
  return rows;
}

}  // namespace isacbf::conic
