// Per-instance Woodbury factors (see woodbury_factor.hpp). Plain C++ with Eigen: also built without CUDA.
#include "cuda/woodbury_factor.hpp"

#include <Eigen/Dense>
#include <cmath>

#include "cuda/batch_prep.hpp"
#include "kernels/adaptive_scale.hpp"

namespace isacbf::gpu {

bool factor_woodbury(const AdmmHostData& h, int b, const double* r, double* dinv_out, double* chol_out) {
  // Scratch reused across the instances of one thread: fresh allocations made the set-up scale badly
  // over 16 threads (page faults), measured on the H100 host.
  thread_local Eigen::MatrixXd R, S;
  thread_local Eigen::LLT<Eigen::MatrixXd> llt;
  const int n = h.layout.n, m = h.layout.m, p = static_cast<int>(h.multi_rows.size());
  const int nnz = h.row_ptr.empty() ? 0 : h.row_ptr.back();
  const double* csr = h.csr_vals.data() + 1LL * b * nnz;
  // Rows with one entry go to the diagonal; the others (multi_rows) form R.
  Eigen::Map<Eigen::VectorXd> dinv(dinv_out, n);
  dinv = Eigen::Map<const Eigen::VectorXd>(r, n);  // rho_x
  for (int i = 0; i < m; ++i)
    if (h.row_ptr[i + 1] - h.row_ptr[i] == 1) {
      const int k = h.row_ptr[i];
      dinv[h.col_idx[k]] += csr[k] * csr[k] / r[n + i];
    }
  dinv = dinv.cwiseInverse();
  if (p == 0) return true;
  // The capacitance S = diag(r_R) + R D^-1 R^T, factored in the CPU reference's scaled form
  // (linsys_woodbury.cpp): with Ds = diag(r_R)^-1/2, S = Ds^-1 C Ds^-1 for C = I + Ds R D^-1 R^T Ds = L L^T, so
  // S = (Ds^-1 L)(Ds^-1 L)^T and the device solves with the factor Ds^-1 L (kernels/cholesky_solve.hpp)
  // rather than an explicit inverse of S. The remaining error, from columns whose D is rho_x alone, is
  // removed by the refinement step (AdmmHostData::refine).
  R.setZero(p, n);
  for (int q = 0; q < p; ++q) {
    const double ds = 1.0 / std::sqrt(r[n + h.multi_rows[q]]);
    for (int k = h.row_ptr[h.multi_rows[q]]; k < h.row_ptr[h.multi_rows[q] + 1]; ++k) R(q, h.col_idx[k]) = ds * csr[k];
  }
  S.setIdentity(p, p);
  S.noalias() += R * dinv.asDiagonal() * R.transpose();
  llt.compute(S);
  Eigen::Map<Eigen::MatrixXd> factor(chol_out, p, p);
  factor = llt.matrixL();
  for (int q = 0; q < p; ++q) factor.row(q) *= std::sqrt(r[n + h.multi_rows[q]]);
  return llt.info() == Eigen::Success;
}

Refactored refactor_slots(const AdmmHostData& h, double rho_x, const std::vector<int>& slots,
                          const std::vector<double>& scales) {
  const int n = h.layout.n, m = h.layout.m, p = static_cast<int>(h.multi_rows.size());
  const long long L = n + m + 1;
  const int count = static_cast<int>(slots.size());
  Refactored out;
  out.r.resize(count * L);
  out.dinv.resize(1LL * count * n);
  out.chol.resize(1LL * count * p * p);
  out.ok.resize(count);
  parallel_for(count, [&](int k) {
    double* r = out.r.data() + k * L;
    kernels::metric_diagonal(n, m, h.layout.zero, rho_x, scales[k], r);
    out.ok[k] = factor_woodbury(h, slots[k], r, out.dinv.data() + 1LL * k * n, out.chol.data() + 1LL * k * p * p);
  });
  return out;
}

}  // namespace isacbf::gpu
