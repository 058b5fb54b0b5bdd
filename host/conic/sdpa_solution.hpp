#pragma once
// A solution of an SDPA file in the file's own terms. With A = -[svec F_i] and b = -svec F_0 (the
// reader's mapping), the conic form's slack is the SDPA primal matrix, s = svec(sum_i x_i F_i - F_0),
// and its dual variable is the SDPA dual matrix, y = svec(Y) with F_i . Y = c_i and objective F_0 . Y.
// For certificates the same maps give the SDPA directions (infeasible: Y with F_i . Y = 0 and
// F_0 . Y = 1; unbounded: x with c^T x = -1 and sum_i x_i F_i = X >= 0).
#include <Eigen/Dense>
#include <vector>

namespace isacbf::conic {

// The file's blocks of a vector in the conic form's row layout (s or y): a block of positive size n
// as the n x n symmetric matrix, a diagonal block (negative size -n) as its n diagonal values (n x 1).
std::vector<Eigen::MatrixXd> sdpa_blocks(const std::vector<long>& block_sizes, const Eigen::VectorXd& rows);

// The inverse: the rows of the file's blocks, shaped as sdpa_blocks gives them (a block of positive
// size n as n x n, its symmetric part taken; a diagonal block as n x 1). InputError naming "blocks[k]"
// (0-based, file order) for a missing block or a wrong shape.
Eigen::VectorXd sdpa_rows(const std::vector<long>& block_sizes, const std::vector<Eigen::MatrixXd>& blocks);

}  // namespace isacbf::conic
