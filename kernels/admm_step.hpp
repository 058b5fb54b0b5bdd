#pragma once
// The per-instance vector steps of one ADMM iteration on the homogeneous self-dual embedding
// (SCS 3.x form), written once for the CPU reference and the CUDA backend. Plain arrays, C++17.
//
// Layout of the iterates (scaled problem, n variables, m rows, l = n + m + 1):
//   w, ut, u, v in R^l:  [ x (n) | y (m) | tau (1) ];  v = [ 0 | s | kappa ].
//   r in R^l: the diagonal of R = diag(rho_x I_n, r_y (per cone constant), r_tau).
// One iteration (the host/GPU supplies the linear solve and the cone projection of u_y onto K*):
//   1. p = M0^{-1} (R w)_{xy}           M0 = [[rho_x I, A^T], [-A, diag(r_y)]]  (linear solve)
//   2. tau~ = (r_tau w_tau + h.p) / (r_tau + h.g),  ut_xy = p - tau~ g   (admm_tau_combine)
//        h = (c, b), g = M0^{-1} h precomputed after each factorisation
//   3. u = 2 ut - w                      (admm_reflect)
//   4. u_y <- P_{K*}(u_y),  u_tau <- max(u_tau, 0)  (cone kernels; admm_project_tau)
//   5. v = r o (u + w - 2 ut);  w <- w + alpha (u - ut)   (admm_relax_update)
// Iterates reported at a check: x = u_x / u_tau, y = u_y / u_tau, s = v_y / u_tau.
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

ISACBF_HD_INLINE double dot(int len, const double* a, const double* b) {
  double acc = 0.0;
  for (int i = 0; i < len; ++i) acc += a[i] * b[i];
  return acc;
}

ISACBF_HD_INLINE double inf_norm(int len, const double* a) {
  double acc = 0.0;
  for (int i = 0; i < len; ++i) acc = fmax(acc, fabs(a[i]));
  return acc;
}

ISACBF_HD_INLINE double norm2(int len, const double* a) { return sqrt(dot(len, a, a)); }

// Step 2: p (length nm = n + m) is M0^{-1} (R w)_{xy} on entry, ut_xy on exit; returns tau~.
ISACBF_HD_INLINE double admm_tau_combine(int nm, const double* h, const double* g, double hg, double r_tau,
                                         double w_tau, double* p) {
  const double tau = (r_tau * w_tau + dot(nm, h, p)) / (r_tau + hg);
  for (int i = 0; i < nm; ++i) p[i] -= tau * g[i];
  return tau;
}

// Step 3: u = 2 ut - w.
ISACBF_HD_INLINE void admm_reflect(int len, const double* ut, const double* w, double* u) {
  for (int i = 0; i < len; ++i) u[i] = 2.0 * ut[i] - w[i];
}

// Step 4 (tau part).
ISACBF_HD_INLINE void admm_project_tau(double* u_tau) { *u_tau = *u_tau > 0.0 ? *u_tau : 0.0; }

// Step 5: v = r o (u + w - 2 ut); w <- w + alpha (u - ut). (v_x is ~0 and unused.)
ISACBF_HD_INLINE void admm_relax_update(int len, const double* r, double alpha, const double* u,
                                        const double* ut, double* w, double* v) {
  for (int i = 0; i < len; ++i) {
    v[i] = r[i] * (u[i] + w[i] - 2.0 * ut[i]);
    w[i] += alpha * (u[i] - ut[i]);
  }
}

// Residual pieces (scaled or unscaled, the caller decides):
// out = Ax + s - b tau  (primal residual of the embedding)
ISACBF_HD_INLINE void primal_residual(int m, const double* ax, const double* s, const double* b, double tau,
                                      double* out) {
  for (int i = 0; i < m; ++i) out[i] = ax[i] + s[i] - b[i] * tau;
}
// out = A^T y + c tau  (dual residual of the embedding)
ISACBF_HD_INLINE void dual_residual(int n, const double* aty, const double* c, double tau, double* out) {
  for (int i = 0; i < n; ++i) out[i] = aty[i] + c[i] * tau;
}

}  // namespace isacbf::kernels
