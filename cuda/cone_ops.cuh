#pragma once
// Per-cone projections used by the batched ADMM (device): second-order cone and the primal exponential
// cone {(r, s, t): s e^{r/s} <= t, s > 0} (closure), the latter by bisection on the multiplier with an
// inner Newton solve (the SCS 2.x method), tolerances tightened for double-precision comparisons.
#include <cuda_runtime.h>

namespace isacbf::gpu::detail {

__device__ inline void project_soc(double* v, int q) {
  if (q == 1) { v[0] = fmax(v[0], 0.0); return; }
  double nx2 = 0.0;
  for (int i = 1; i < q; ++i) nx2 += v[i] * v[i];
  const double nx = sqrt(nx2), t = v[0];
  if (nx <= t) return;
  if (nx <= -t) { for (int i = 0; i < q; ++i) v[i] = 0.0; return; }
  const double a = 0.5 * (t + nx);
  v[0] = a;
  for (int i = 1; i < q; ++i) v[i] *= a / nx;
}

// Given the multiplier rho, the stationary point x(rho); returns the constraint value x0 + x1 log(x1/x2).
__device__ inline double exp_point(const double* v, double rho, double* x) {
  // Newton on t = x2 - v2 > max(0, -v2): t(t+v2)/rho^2 - v1/rho + log(t/rho) + 1 = 0.
  double t = fmax(-v[2], 0.0) + fmax(1e-12, 1e-6 * fabs(v[2]));
  t = fmax(t, 1e-12);
  for (int i = 0; i < 200; ++i) {
    const double f = t * (t + v[2]) / (rho * rho) - v[1] / rho + log(t / rho) + 1.0;
    const double fp = (2.0 * t + v[2]) / (rho * rho) + 1.0 / t;
    double tn = t - f / fp;
    if (tn <= fmax(-v[2], 0.0)) tn = 0.5 * (t + fmax(-v[2], 0.0));  // stay inside the domain
    const bool done = fabs(tn - t) <= 1e-15 * fmax(1.0, t);
    t = tn;
    if (done) break;
  }
  x[2] = t + v[2];
  x[1] = t * x[2] / rho;
  x[0] = v[0] - rho;
  if (x[1] <= 1e-300 || x[2] <= 1e-300) return x[0];
  return x[0] + x[1] * log(x[1] / x[2]);
}

__device__ inline void project_exp_primal(double* v) {
  const double r = v[0], s = v[1], t = v[2];
  if ((s > 0.0 && s * exp(r / s) <= t) || (r <= 0.0 && s == 0.0 && t >= 0.0)) return;  // in the cone
  // -v in the dual cone {(u, w, z): -u e^{w/u} <= e z, u < 0}: projection is 0.
  if ((r > 0.0 && r * exp(s / r) <= -2.718281828459045 * t) || (r == 0.0 && s <= 0.0 && t <= 0.0)) {
    v[0] = v[1] = v[2] = 0.0;
    return;
  }
  if (r < 0.0 && s < 0.0) {  // closed form: onto {(r, 0, t): r <= 0, t >= 0}
    v[1] = 0.0;
    v[2] = fmax(t, 0.0);
    return;
  }
  double x[3], lo = 0.0, hi = 0.125;
  for (int i = 0; i < 200 && exp_point(v, hi, x) > 0.0; ++i) { lo = hi; hi *= 2.0; }
  for (int i = 0; i < 200; ++i) {
    const double rho = 0.5 * (lo + hi);
    if (exp_point(v, rho, x) > 0.0) lo = rho; else hi = rho;
    if (hi - lo <= 1e-15 * fmax(1.0, hi)) break;
  }
  exp_point(v, hi, x);  // feasible side
  v[0] = x[0]; v[1] = x[1]; v[2] = x[2];
}

// Dual of the primal exponential cone, by Moreau: Pi_{K*}(v) = v + Pi_K(-v).
__device__ inline void project_exp_dual(double* v) {
  double w[3] = {-v[0], -v[1], -v[2]};
  project_exp_primal(w);
  v[0] += w[0]; v[1] += w[1]; v[2] += w[2];
}

}  // namespace isacbf::gpu::detail
