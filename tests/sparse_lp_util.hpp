#pragma once
// Sparse patterns and bounded LPs for the tests of the x-system's back ends (linsys_plan, CG first, the
// memory limit): patterns whose fill differs, and an LP that is feasible and bounded on any pattern.
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "host/conic/problem.hpp"

namespace sparse_lp {

// m x n with `per_row` standard-normal entries per row: at random columns (heavy fill), or in a band of
// consecutive columns starting at a random place (little fill).
inline Eigen::SparseMatrix<double> pattern_matrix(int m, int n, int per_row, bool banded, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> value;
  std::uniform_int_distribution<int> column(0, n - 1), start(0, n - per_row);
  std::vector<Eigen::Triplet<double>> t;
  for (int i = 0; i < m; ++i) {
    std::vector<int> cols;
    if (banded) {
      const int s = start(rng);
      for (int k = 0; k < per_row; ++k) cols.push_back(s + k);
    } else {
      while (static_cast<int>(cols.size()) < per_row) {
        const int j = column(rng);
        if (std::find(cols.begin(), cols.end(), j) == cols.end()) cols.push_back(j);
      }
    }
    for (const int j : cols) t.emplace_back(i, j, value(rng));
  }
  Eigen::SparseMatrix<double> A(m, n);
  A.setFromTriplets(t.begin(), t.end());
  return A;
}

// min 1^T x s.t. P x >= 1, x >= 0 with P = 0.1 + 0.5 |pattern| entrywise on the pattern (P >= 0: feasible
// and bounded), in the solver's form A x + s = b, s >= 0.
inline isacbf::conic::ConicProblem bounded_lp(const Eigen::SparseMatrix<double>& pattern) {
  const int rows = static_cast<int>(pattern.rows()), n = static_cast<int>(pattern.cols());
  std::vector<Eigen::Triplet<double>> t;
  for (int j = 0; j < pattern.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(pattern, j); it; ++it)
      t.emplace_back(it.row(), j, -0.1 - 0.5 * std::abs(it.value()));
  for (int j = 0; j < n; ++j) t.emplace_back(rows + j, j, -1.0);
  isacbf::conic::ConicProblem p;
  p.cones.nonneg = rows + n;
  p.A.resize(rows + n, n);
  p.A.setFromTriplets(t.begin(), t.end());
  p.b = Eigen::VectorXd::Zero(rows + n);
  p.b.head(rows).setConstant(-1.0);
  p.c = Eigen::VectorXd::Ones(n);
  return p;
}

}  // namespace sparse_lp
