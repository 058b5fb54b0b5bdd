#pragma once
// Per-instance math of the manifold optimisation over the analog precoder F (Nt x N_RF, |F_mn| = 1),
// written once for the host (CPU reference) and the device (CUDA): C++17, plain arrays, no Eigen,
// no std::vector (model-b.md "HAD", solver.md "Batched Riemannian kernels").
//
// Every cost the HAD design minimises over F is a function of the probe products M = C^H F B
// (C: Nt x P probe vectors such as channels and steering vectors; B: N_RF x L digital columns) and of
// the power ||F B||_F^2:
//   cost = sum_pl a_pl |M_pl|^2 + Re(conj(beta_pl) M_pl) + kappa + pi ||F B||^2
//        + sum_c mu_c max(0, p_c)^2,   p_c = sum_pl a^c_pl |M_pl|^2 + pi_c ||F B||^2 + kappa_c.
// Its Euclidean gradient (2 d cost / d conj F) is C G B^H + 2 w F B B^H with G_pl = 2 d cost / d conj M_pl
// and w the total power weight: matrix products on F, never an (Nt N_RF)^2 matrix.
// Matrices are column-major; complex numbers are Cx {re, im}.
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

struct Cx {
  double re, im;
};
ISACBF_HD_INLINE Cx cx_add(Cx a, Cx b) { return {a.re + b.re, a.im + b.im}; }
ISACBF_HD_INLINE Cx cx_sub(Cx a, Cx b) { return {a.re - b.re, a.im - b.im}; }
ISACBF_HD_INLINE Cx cx_mul(Cx a, Cx b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
ISACBF_HD_INLINE Cx cx_conj(Cx a) { return {a.re, -a.im}; }
ISACBF_HD_INLINE Cx cx_scale(Cx a, double s) { return {a.re * s, a.im * s}; }
ISACBF_HD_INLINE double cx_norm(Cx a) { return a.re * a.re + a.im * a.im; }
ISACBF_HD_INLINE double cx_abs(Cx a) { return sqrt(a.re * a.re + a.im * a.im); }

// Sizes of one instance's problem. identity_probes: C = I (P = Nt, C not stored), so M = F B; MO-AltMin's
// ||T - F B||^2 is such a cost, and an explicit identity would cost Nt^2 L per product instead of Nt L.
struct ManifoldDims {
  int Nt, N_RF, P, L, num_penalties;
  int identity_probes;
};

// Coefficients of the cost (layout: a, beta: P x L; pen_a: num_penalties blocks of P x L).
struct ManifoldCost {
  const double* a;      // P x L
  const Cx* beta;       // P x L
  double kappa, pi;
  const double* pen_a;  // num_penalties x (P x L)
  const double* pen_pi; // num_penalties
  const double* pen_kappa;
  const double* mu;     // num_penalties
};

// out (rows x cols) = X^H (X: n x rows) times Y (n x cols).
ISACBF_HD_INLINE void adjoint_times(int n, int rows, int cols, const Cx* X, const Cx* Y, Cx* out) {
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) {
      Cx s{0.0, 0.0};
      for (int i = 0; i < n; ++i) s = cx_add(s, cx_mul(cx_conj(X[r * n + i]), Y[c * n + i]));
      out[c * rows + r] = s;
    }
}

// out (n x cols) = X (n x k) Y (k x cols).
ISACBF_HD_INLINE void times(int n, int k, int cols, const Cx* X, const Cx* Y, Cx* out) {
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < n; ++r) {
      Cx s{0.0, 0.0};
      for (int i = 0; i < k; ++i) s = cx_add(s, cx_mul(X[i * n + r], Y[c * k + i]));
      out[c * n + r] = s;
    }
}

// FB (Nt x L) = F B and M (P x L) = C^H FB.
ISACBF_HD_INLINE void probe_products(const ManifoldDims& d, const Cx* C, const Cx* F, const Cx* B, Cx* FB, Cx* M) {
  times(d.Nt, d.N_RF, d.L, F, B, FB);
  if (d.identity_probes) {
    for (int i = 0; i < d.Nt * d.L; ++i) M[i] = FB[i];
    return;
  }
  adjoint_times(d.Nt, d.P, d.L, C, FB, M);
}

ISACBF_HD_INLINE double frob2(int n, const Cx* X) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += cx_norm(X[i]);
  return s;
}

// Per-entry pieces (entry i of the P x L probe products M): the serial functions below sum them in
// order; the GPU's block-parallel kernels (cuda/manifold_batched.cu) sum the same terms across threads.
ISACBF_HD_INLINE double probe_term(const ManifoldCost& cost, int i, Cx m) {
  return cost.a[i] * cx_norm(m) + (cost.beta[i].re * m.re + cost.beta[i].im * m.im);
}
ISACBF_HD_INLINE double penalty_term(const ManifoldDims& d, const ManifoldCost& cost, int c, int i, Cx m) {
  return cost.pen_a[static_cast<long>(c) * d.P * d.L + i] * cx_norm(m);
}
// d(mu_c max(0, p)^2) / dp at the penalty's value p.
ISACBF_HD_INLINE double penalty_slope(const ManifoldCost& cost, int c, double p) { return p > 0 ? 2.0 * cost.mu[c] * p : 0.0; }
// The power weight w = d cost / d ||F B||^2, given every penalty's slope.
ISACBF_HD_INLINE double power_weight(const ManifoldDims& d, const ManifoldCost& cost, const double* slopes) {
  double w = cost.pi;
  for (int c = 0; c < d.num_penalties; ++c)
    if (slopes[c] != 0.0) w += slopes[c] * cost.pen_pi[c];
  return w;
}
// Entry i of G = 2 d cost / d conj M, given every penalty's slope.
ISACBF_HD_INLINE Cx gradient_entry(const ManifoldDims& d, const ManifoldCost& cost, int i, Cx m, const double* slopes) {
  Cx g = cx_add(cx_scale(m, 2.0 * cost.a[i]), cost.beta[i]);
  for (int c = 0; c < d.num_penalties; ++c)
    if (slopes[c] != 0.0) g = cx_add(g, cx_scale(m, 2.0 * slopes[c] * cost.pen_a[static_cast<long>(c) * d.P * d.L + i]));
  return g;
}

ISACBF_HD_INLINE double penalty_value(const ManifoldDims& d, const ManifoldCost& cost, int c, const Cx* M, double power) {
  double p = cost.pen_kappa[c] + cost.pen_pi[c] * power;
  for (int i = 0; i < d.P * d.L; ++i) p += penalty_term(d, cost, c, i, M[i]);
  return p;
}

// The cost at (M, power = ||F B||^2).
ISACBF_HD_INLINE double manifold_cost(const ManifoldDims& d, const ManifoldCost& cost, const Cx* M, double power) {
  double f = cost.kappa + cost.pi * power;
  for (int i = 0; i < d.P * d.L; ++i) f += probe_term(cost, i, M[i]);
  for (int c = 0; c < d.num_penalties; ++c) {
    const double p = penalty_value(d, cost, c, M, power);
    if (p > 0) f += cost.mu[c] * p * p;
  }
  return f;
}

// G (P x L) = 2 d cost / d conj M; returns the total power weight w (d cost / d ||F B||^2).
ISACBF_HD_INLINE double probe_gradient(const ManifoldDims& d, const ManifoldCost& cost, const Cx* M, double power, Cx* G) {
  double w = cost.pi;
  for (int i = 0; i < d.P * d.L; ++i) G[i] = cx_add(cx_scale(M[i], 2.0 * cost.a[i]), cost.beta[i]);
  for (int c = 0; c < d.num_penalties; ++c) {
    const double p = penalty_value(d, cost, c, M, power);
    if (p <= 0) continue;
    const double s = 2.0 * cost.mu[c] * p;  // d(mu p^2)/dp
    const double* ac = cost.pen_a + static_cast<long>(c) * d.P * d.L;
    for (int i = 0; i < d.P * d.L; ++i) G[i] = cx_add(G[i], cx_scale(M[i], 2.0 * s * ac[i]));
    w += s * cost.pen_pi[c];
  }
  return w;
}

// Euclidean gradient (Nt x N_RF) = C G B^H + 2 w FB B^H. CG: Nt x L workspace.
ISACBF_HD_INLINE void euclidean_gradient(const ManifoldDims& d, const Cx* C, const Cx* G, const Cx* B, const Cx* FB, double w,
                                         Cx* CG, Cx* grad) {
  if (d.identity_probes) {
    for (int i = 0; i < d.Nt * d.L; ++i) CG[i] = G[i];
  } else {
    times(d.Nt, d.P, d.L, C, G, CG);
  }
  for (int i = 0; i < d.Nt * d.L; ++i) CG[i] = cx_add(CG[i], cx_scale(FB[i], 2.0 * w));
  for (int c = 0; c < d.N_RF; ++c)
    for (int r = 0; r < d.Nt; ++r) {
      Cx s{0.0, 0.0};
      for (int l = 0; l < d.L; ++l) s = cx_add(s, cx_mul(CG[l * d.Nt + r], cx_conj(B[l * d.N_RF + c])));
      grad[c * d.Nt + r] = s;
    }
}

// Projection onto the tangent space of the complex circle manifold at x (46):
// grad = egrad - Re{egrad . conj(x)} . x (|x_i| = 1).
ISACBF_HD_INLINE void riemannian_gradient(int n, const Cx* x, const Cx* egrad, Cx* rgrad) {
  for (int i = 0; i < n; ++i) {
    const double r = egrad[i].re * x[i].re + egrad[i].im * x[i].im;
    rgrad[i] = cx_sub(egrad[i], cx_scale(x[i], r));
  }
}

// Retraction (48): out_i = (x_i - step dir_i) / |x_i - step dir_i| (x_i kept when the sum vanishes).
ISACBF_HD_INLINE void retract(int n, const Cx* x, const Cx* dir, double step, Cx* out) {
  for (int i = 0; i < n; ++i) {
    const Cx v = cx_sub(x[i], cx_scale(dir[i], step));
    const double m = cx_abs(v);
    out[i] = m > 0 ? cx_scale(v, 1.0 / m) : x[i];
  }
}

// Real inner product Re<a, b> on C^n (the manifold's metric).
ISACBF_HD_INLINE double real_inner(int n, const Cx* a, const Cx* b) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += a[i].re * b[i].re + a[i].im * b[i].im;
  return s;
}

}  // namespace isacbf::kernels

