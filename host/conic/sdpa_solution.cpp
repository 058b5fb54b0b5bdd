#include "host/conic/sdpa_solution.hpp"

#include <cstdlib>

#include "host/common/errors.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "kernels/psd.hpp"

namespace isacbf::conic {

std::vector<Eigen::MatrixXd> sdpa_blocks(const std::vector<long>& block_sizes, const Eigen::VectorXd& rows) {
  const std::vector<long> offset = sdpa_block_offsets(block_sizes);
  const long needed = sdpa_row_count(block_sizes);
  if (rows.size() != needed)
    throw InputError("rows", "holds " + std::to_string(rows.size()) + " entries, the blocks need " + std::to_string(needed));
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
    kernels::svec_unpack(static_cast<int>(n), rows.data() + offset[k], m.data());
    blocks.push_back(std::move(m));
  }
  return blocks;
}

Eigen::VectorXd sdpa_rows(const std::vector<long>& block_sizes, const std::vector<Eigen::MatrixXd>& blocks) {
  if (blocks.size() != block_sizes.size())
    throw InputError("blocks", "holds " + std::to_string(blocks.size()) + " blocks, the file has " + std::to_string(block_sizes.size()));
  const std::vector<long> offset = sdpa_block_offsets(block_sizes);
  Eigen::VectorXd rows(sdpa_row_count(block_sizes));
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
    const Eigen::MatrixXd symmetric = 0.5 * (m + m.transpose());  // svec reads the lower triangle
    kernels::svec_pack(static_cast<int>(n), symmetric.data(), rows.data() + offset[k]);
  }
  return rows;
}

}  // namespace isacbf::conic
