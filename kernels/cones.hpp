#pragma once
// Cone projections written once for the CPU reference and the CUDA backend (C++17, no Eigen, no
// allocation). Every function projects in place onto a closed convex cone in the Euclidean metric
// (the cone vectorisations of host/conic/problem.hpp keep inner products, so this is the projection
// the ADMM needs). PSD projections live in kernels/psd.hpp.
//
//   project_zero      : {0}                       (used for the dual of the free cone: y -> 0)
//   project_free      : R^q                        (identity; dual of the zero cone)
//   project_nonneg    : R^q_+
//   project_soc       : {(t, x) : ||x||_2 <= t}
//   project_exp_primal: cl{(r, s, t) : s exp(r/s) <= t, s > 0}
//   project_exp_dual  : cl{(u, v, w) : -u exp(v/u) <= e w, u < 0} via Moreau: P_{K*}(v) = v + P_K(-v)
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

ISACBF_HD_INLINE void project_zero(int q, double* v) {
  for (int i = 0; i < q; ++i) v[i] = 0.0;
}

ISACBF_HD_INLINE void project_nonneg(int q, double* v) {
  for (int i = 0; i < q; ++i) v[i] = v[i] > 0.0 ? v[i] : 0.0;
}

// Second-order cone of size q >= 1, t = v[0].
ISACBF_HD_INLINE void project_soc(int q, double* v) {
  if (q <= 0) return;
  const double t = v[0];
  double nx2 = 0.0;
  for (int i = 1; i < q; ++i) nx2 += v[i] * v[i];
  const double nx = sqrt(nx2);
  if (nx <= t) return;            // inside
  if (nx <= -t) {                  // inside the polar cone
    for (int i = 0; i < q; ++i) v[i] = 0.0;
    return;
  }
  const double a = 0.5 * (t + nx);  // > 0 here
  v[0] = a;
  const double f = a / nx;
  for (int i = 1; i < q; ++i) v[i] *= f;
}

namespace detail {

// Friberg (2021), "Projection onto the exponential cone: a univariate root-finding problem":
// v = P_K(v) + P_{K polar}(v) with both parts on their boundaries, parametrised by one rho:
//   P_K(v)     = ((rho-1) r + s) / (rho^2 - rho + 1) * (rho, 1, e^rho)
//   P_polar(v) = (r - rho s)     / (rho^2 - rho + 1) * (1, 1 - rho, -e^{-rho})
// and rho is the root of the increasing function
//   h(rho) = ((rho-1) r + s) e^rho - (r - rho s) e^{-rho} - (rho^2 - rho + 1) t
// on [1 - s/r (if r > 0), r/s (if s > 0)].
ISACBF_HD_INLINE double exp_h(double rho, double r, double s, double t, double* dh) {
  const double ep = exp(rho), em = exp(-rho);
  *dh = (rho * r + s) * ep + (r - (rho - 1.0) * s) * em - (2.0 * rho - 1.0) * t;
  return ((rho - 1.0) * r + s) * ep - (r - rho * s) * em - (rho * (rho - 1.0) + 1.0) * t;
}

ISACBF_HD_INLINE double dist2(double a0, double a1, double a2, double b0, double b1, double b2) {
  return (a0 - b0) * (a0 - b0) + (a1 - b1) * (a1 - b1) + (a2 - b2) * (a2 - b2);
}

}  // namespace detail

// Projection onto the primal exponential cone (closure), v = (r, s, t), in place.
// 1. cheap candidates inside K: (min(r,0), 0, max(t,0)) and, if s > 0, (r, s, max(t, s e^{r/s}));
//    the same for the polar cone; if one of them is exact (distance ~0, or the pair is an
//    orthogonal decomposition, or r <= 0 and s <= 0) it is the answer.
// 2. otherwise solve h(rho) = 0 (bracketed; safeguarded Newton, bisection fallback) and keep the
//    closest of the boundary point and the cheap candidate.
ISACBF_HD_INLINE void project_exp_primal(double* v) {
  const double r = v[0], s = v[1], t = v[2];
  // cheap primal candidate
  double p0 = r < 0.0 ? r : 0.0, p1 = 0.0, p2 = t > 0.0 ? t : 0.0;
  double pd = sqrt(detail::dist2(p0, p1, p2, r, s, t));
  if (s > 0.0) {
    const double tp = fmax(t, s * exp(r / s));
    if (tp - t < pd) { p0 = r; p1 = s; p2 = tp; pd = tp - t; }
  }
  // cheap polar candidate
  double d0 = 0.0, d1 = s < 0.0 ? s : 0.0, d2 = t < 0.0 ? t : 0.0;
  double dd = sqrt(detail::dist2(d0, d1, d2, r, s, t));
  if (r > 0.0) {
    const double td = fmin(t, -r * exp(s / r - 1.0));
    if (t - td < dd) { d0 = r; d1 = s; d2 = td; dd = t - td; }
  }
  const double tol = 1e-12 * (1.0 + fabs(r) + fabs(s) + fabs(t));
  const double err = fmax(fabs(p0 + d0 - r), fmax(fabs(p1 + d1 - s), fabs(p2 + d2 - t)));
  if ((r <= 0.0 && s <= 0.0) || fmin(pd, dd) <= tol ||
      (err <= tol && p0 * d0 + p1 * d1 + p2 * d2 <= tol * tol)) {
    v[0] = p0; v[1] = p1; v[2] = p2;
    return;
  }
  // bracket [lo, hi] with h(lo) <= 0 <= h(hi)
  const double big = 200.0;  // e^200 ~ 7e86: no overflow in h; beyond it the cheap candidates are exact to rounding
  double lo = r > 0.0 ? 1.0 - s / r : -big;
  double hi = s > 0.0 ? r / s : big;
  lo = fmax(lo, -big);
  hi = fmin(hi, big);
  if (lo > hi) lo = hi;
  double dh = 0.0;
  if (!(r > 0.0)) {  // expand the lower end until h < 0
    double step = 1.0;
    lo = hi - step;
    while (lo > -big && detail::exp_h(lo, r, s, t, &dh) > 0.0) { step *= 2.0; lo = fmax(hi - step, -big); }
  } else if (!(s > 0.0)) {  // expand the upper end until h > 0
    double step = 1.0;
    hi = lo + step;
    while (hi < big && detail::exp_h(hi, r, s, t, &dh) < 0.0) { step *= 2.0; hi = fmin(lo + step, big); }
  }
  double rho = 0.5 * (lo + hi);
  double width = hi - lo;
  for (int it = 0; it < 200; ++it) {
    const double f = detail::exp_h(rho, r, s, t, &dh);
    if (f == 0.0) break;
    if (f < 0.0) lo = rho; else hi = rho;
    if (hi - lo <= 1e-15 * fmax(1.0, fabs(rho))) break;
    double next = dh > 0.0 ? rho - f / dh : 0.5 * (lo + hi);
    // bisect when Newton leaves the bracket or the bracket did not halve (slow far-out Newton)
    if (!(next > lo && next < hi) || hi - lo > 0.5 * width) next = 0.5 * (lo + hi);
    width = hi - lo;
    if (fabs(next - rho) <= 1e-16 * fmax(1.0, fabs(rho))) { rho = next; break; }
    rho = next;
  }
  const double lin = (rho - 1.0) * r + s;
  const double quad = rho * (rho - 1.0) + 1.0;
  if (lin > 0.0 && rho < big) {
    const double x1 = lin / quad, x0 = rho * x1, x2 = exp(rho) * x1;
    if (sqrt(detail::dist2(x0, x1, x2, r, s, t)) <= pd) { p0 = x0; p1 = x1; p2 = x2; }
  }
  v[0] = p0; v[1] = p1; v[2] = p2;
}

// Projection onto the dual exponential cone by Moreau: P_{K*}(v) = v + P_K(-v).
ISACBF_HD_INLINE void project_exp_dual(double* v) {
  double w[3] = {-v[0], -v[1], -v[2]};
  project_exp_primal(w);
  v[0] += w[0];
  v[1] += w[1];
  v[2] += w[2];
}

}  // namespace isacbf::kernels
