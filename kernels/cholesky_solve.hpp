#pragma once
// Solve with a small dense Cholesky factor, one instance per thread: the GPU backend's Woodbury
// capacitance (cuda/woodbury_factor.hpp, cuda/admm_batched.cu) and the CPU test that checks it.
#include "kernels/hd.hpp"

namespace isacbf::kernels {

// (L L^T) v = t in place (v holds t on entry), L lower triangular p x p, column-major; the strict upper
// triangle is not read. Forward and back substitution, both walking columns of L (contiguous).
ISACBF_HD_INLINE void cholesky_solve_in_place(int p, const double* L, double* v) {
  for (int j = 0; j < p; ++j) {  // L y = t
    const double yj = v[j] / L[j * p + j];
    v[j] = yj;
    for (int i = j + 1; i < p; ++i) v[i] -= L[j * p + i] * yj;
  }
  for (int j = p - 1; j >= 0; --j) {  // L^T q = y: q_j = (y_j - sum_{i > j} L_ij q_i) / L_jj
    double acc = v[j];
    for (int i = j + 1; i < p; ++i) acc -= L[j * p + i] * v[i];
    v[j] = acc / L[j * p + j];
  }
}

}  // namespace isacbf::kernels
