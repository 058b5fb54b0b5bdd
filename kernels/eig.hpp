#pragma once
// Small dense eigensolvers (cyclic Jacobi) for real symmetric and complex Hermitian n x n matrices,
// written once for the CPU reference and the CUDA backend (C++17, no allocation: the caller passes
// the arrays). Intended for n <= ~32; the CPU backend switches to Eigen above a measured size.
//
// Storage: column-major. Real: a[i + n*j]. Complex: interleaved (re, im),
// a[2*(i + n*j)] = Re A_ij, a[2*(i + n*j) + 1] = Im A_ij.
// On return the eigenvalues are in w[0..n) (not sorted) and the eigenvectors are the columns of v
// (v[:, k] belongs to w[k]); a is overwritten (its diagonal holds w, off-diagonal ~0).
// Stops when sum_{p<q} |a_pq|^2 <= (tol * ||A||_F)^2 or after max_sweeps sweeps; returns the number
// of sweeps done (max_sweeps + 1 if not converged).
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

// Jacobi rotation parameters annihilating the (p, q) entry of the real 2x2 block [[app, r],[r, aqq]].
ISACBF_HD_INLINE void jacobi_rotation(double app, double aqq, double r, double* c, double* s, double* t) {
  const double theta = (aqq - app) / (2.0 * r);
  double tt = 1.0 / (fabs(theta) + sqrt(1.0 + theta * theta));
  if (theta < 0.0) tt = -tt;
  *t = tt;
  *c = 1.0 / sqrt(1.0 + tt * tt);
  *s = tt * *c;
}

ISACBF_HD_INLINE int jacobi_eig_real(int n, double* a, double* v, double* w, int max_sweeps = 30,
                                     double tol = 1e-15) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) v[i + n * j] = i == j ? 1.0 : 0.0;
  double fro2 = 0.0;
  for (int k = 0; k < n * n; ++k) fro2 += a[k] * a[k];
  const double stop = tol * tol * fro2;
  int sweep = 0;
  for (; sweep < max_sweeps; ++sweep) {
    double off = 0.0;
    for (int q = 1; q < n; ++q)
      for (int p = 0; p < q; ++p) off += a[p + n * q] * a[p + n * q];
    if (off <= stop || off == 0.0) break;
    for (int q = 1; q < n; ++q) {
      for (int p = 0; p < q; ++p) {
        const double apq = a[p + n * q];
        if (fabs(apq) < 1e-300) continue;
        double c, s, t;
        jacobi_rotation(a[p + n * p], a[q + n * q], apq, &c, &s, &t);
        for (int k = 0; k < n; ++k) {  // columns p, q of A and V
          const double akp = a[k + n * p], akq = a[k + n * q];
          a[k + n * p] = c * akp - s * akq;
          a[k + n * q] = s * akp + c * akq;
          const double vkp = v[k + n * p], vkq = v[k + n * q];
          v[k + n * p] = c * vkp - s * vkq;
          v[k + n * q] = s * vkp + c * vkq;
        }
        for (int k = 0; k < n; ++k) {  // rows p, q of A
          const double apk = a[p + n * k], aqk = a[q + n * k];
          a[p + n * k] = c * apk - s * aqk;
          a[q + n * k] = s * apk + c * aqk;
        }
        a[p + n * q] = 0.0;
        a[q + n * p] = 0.0;
      }
    }
  }
  for (int k = 0; k < n; ++k) w[k] = a[k + n * k];
  return sweep == max_sweeps ? max_sweeps + 1 : sweep;
}

// Complex Hermitian: each rotation is U = diag(1, conj(e)) * [[c, s], [-s, c]] with e = a_pq/|a_pq|,
// which makes the (p, q) entry real first and then annihilates it.
ISACBF_HD_INLINE int jacobi_eig_herm(int n, double* a, double* v, double* w, int max_sweeps = 30,
                                     double tol = 1e-15) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      v[2 * (i + n * j)] = i == j ? 1.0 : 0.0;
      v[2 * (i + n * j) + 1] = 0.0;
    }
  double fro2 = 0.0;
  for (int k = 0; k < 2 * n * n; ++k) fro2 += a[k] * a[k];
  const double stop = tol * tol * fro2;
  int sweep = 0;
  for (; sweep < max_sweeps; ++sweep) {
    double off = 0.0;
    for (int q = 1; q < n; ++q)
      for (int p = 0; p < q; ++p) {
        const double re = a[2 * (p + n * q)], im = a[2 * (p + n * q) + 1];
        off += re * re + im * im;
      }
    if (off <= stop || off == 0.0) break;
    for (int q = 1; q < n; ++q) {
      for (int p = 0; p < q; ++p) {
        const double zr = a[2 * (p + n * q)], zi = a[2 * (p + n * q) + 1];
        const double r = sqrt(zr * zr + zi * zi);
        if (r < 1e-300) continue;
        const double er = zr / r, ei = zi / r;  // e = z / |z|
        double c, s, t;
        jacobi_rotation(a[2 * (p + n * p)], a[2 * (q + n * q)], r, &c, &s, &t);
        // columns: col_p <- c col_p - s conj(e) col_q ; col_q <- s col_p + c conj(e) col_q
        for (int k = 0; k < n; ++k) {
          for (int mat = 0; mat < 2; ++mat) {
            double* x = mat == 0 ? a : v;
            const double pr = x[2 * (k + n * p)], pi = x[2 * (k + n * p) + 1];
            const double qr = x[2 * (k + n * q)], qi = x[2 * (k + n * q) + 1];
            const double fr = er * qr + ei * qi, fi = er * qi - ei * qr;  // conj(e) * x_kq
            x[2 * (k + n * p)] = c * pr - s * fr;
            x[2 * (k + n * p) + 1] = c * pi - s * fi;
            x[2 * (k + n * q)] = s * pr + c * fr;
            x[2 * (k + n * q) + 1] = s * pi + c * fi;
          }
        }
        // rows: row_p <- c row_p - s e row_q ; row_q <- s row_p + c e row_q
        for (int k = 0; k < n; ++k) {
          const double pr = a[2 * (p + n * k)], pi = a[2 * (p + n * k) + 1];
          const double qr = a[2 * (q + n * k)], qi = a[2 * (q + n * k) + 1];
          const double fr = er * qr - ei * qi, fi = er * qi + ei * qr;  // e * x_qk
          a[2 * (p + n * k)] = c * pr - s * fr;
          a[2 * (p + n * k) + 1] = c * pi - s * fi;
          a[2 * (q + n * k)] = s * pr + c * fr;
          a[2 * (q + n * k) + 1] = s * pi + c * fi;
        }
        a[2 * (p + n * q)] = a[2 * (p + n * q) + 1] = 0.0;
        a[2 * (q + n * p)] = a[2 * (q + n * p) + 1] = 0.0;
        a[2 * (p + n * p) + 1] = 0.0;
        a[2 * (q + n * q) + 1] = 0.0;
      }
    }
  }
  for (int k = 0; k < n; ++k) w[k] = a[2 * (k + n * k)];
  return sweep == max_sweeps ? max_sweeps + 1 : sweep;
}

}  // namespace isacbf::kernels
