#pragma once
// svec / hvec packing and PSD-cone projections (C++17, no allocation; see host/conic/problem.hpp for
// the vectorisations). Projections rebuild the result from the smaller of the positive and the
// negative eigenpair sets: P(X) = sum_{l>0} l v v^H = X - sum_{l<0} l v v^H.
#include <math.h>

#include "kernels/eig.hpp"
#include "kernels/hd.hpp"

namespace isacbf::kernels {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kInvSqrt2 = 0.7071067811865476;

ISACBF_HD_INLINE int svec_size(int n) { return n * (n + 1) / 2; }
ISACBF_HD_INLINE int hvec_size(int n) { return n * n; }
// Position in svec of entry (i, j), i >= j, of an order-n matrix (column j starts after the j columns
// before it, of n, n - 1, ... entries).
ISACBF_HD_INLINE int svec_position(int n, int i, int j) { return j * n - j * (j - 1) / 2 + (i - j); }

// x (svec, n(n+1)/2) -> full symmetric column-major a (n x n)
ISACBF_HD_INLINE void svec_unpack(int n, const double* x, double* a) {
  int k = 0;
  for (int j = 0; j < n; ++j) {
    a[j + n * j] = x[k++];
    for (int i = j + 1; i < n; ++i) {
      const double val = x[k++] * kInvSqrt2;
      a[i + n * j] = val;
      a[j + n * i] = val;
    }
  }
}
// full symmetric a -> svec x (reads the lower triangle)
ISACBF_HD_INLINE void svec_pack(int n, const double* a, double* x) {
  int k = 0;
  for (int j = 0; j < n; ++j) {
    x[k++] = a[j + n * j];
    for (int i = j + 1; i < n; ++i) x[k++] = a[i + n * j] * kSqrt2;
  }
}
// x (hvec, n^2) -> full Hermitian interleaved column-major a (2 n^2 doubles)
ISACBF_HD_INLINE void hvec_unpack(int n, const double* x, double* a) {
  int k = 0;
  for (int j = 0; j < n; ++j) {
    a[2 * (j + n * j)] = x[k++];
    a[2 * (j + n * j) + 1] = 0.0;
    for (int i = j + 1; i < n; ++i) {
      const double re = x[k++] * kInvSqrt2, im = x[k++] * kInvSqrt2;
      a[2 * (i + n * j)] = re;
      a[2 * (i + n * j) + 1] = im;
      a[2 * (j + n * i)] = re;
      a[2 * (j + n * i) + 1] = -im;
    }
  }
}
ISACBF_HD_INLINE void hvec_pack(int n, const double* a, double* x) {
  int k = 0;
  for (int j = 0; j < n; ++j) {
    x[k++] = a[2 * (j + n * j)];
    for (int i = j + 1; i < n; ++i) {
      x[k++] = a[2 * (i + n * j)] * kSqrt2;
      x[k++] = a[2 * (i + n * j) + 1] * kSqrt2;
    }
  }
}

// x (svec of X) <- svec of P_PSD(X) given an eigendecomposition X = V diag(w) V^T.
ISACBF_HD_INLINE void psd_rebuild_real(int n, const double* v, const double* w, double* x) {
  int npos = 0;
  for (int k = 0; k < n; ++k) npos += w[k] > 0.0;
  const bool from_pos = 2 * npos <= n;  // fewer positive pairs: sum them; else subtract negatives
  int idx = 0;
  for (int j = 0; j < n; ++j) {
    for (int i = j; i < n; ++i) {
      double acc = 0.0;
      for (int k = 0; k < n; ++k) {
        const double l = w[k];
        if (from_pos ? l > 0.0 : l < 0.0) acc += l * v[i + n * k] * v[j + n * k];
      }
      const double f = i == j ? 1.0 : kSqrt2;
      x[idx] = from_pos ? f * acc : x[idx] - f * acc;
      ++idx;
    }
  }
}

// x (hvec of X) <- hvec of P_PSD(X) given X = V diag(w) V^H (V interleaved complex).
ISACBF_HD_INLINE void psd_rebuild_herm(int n, const double* v, const double* w, double* x) {
  int npos = 0;
  for (int k = 0; k < n; ++k) npos += w[k] > 0.0;
  const bool from_pos = 2 * npos <= n;
  int idx = 0;
  for (int j = 0; j < n; ++j) {
    for (int i = j; i < n; ++i) {
      double ar = 0.0, ai = 0.0;  // sum l v_ik conj(v_jk)
      for (int k = 0; k < n; ++k) {
        const double l = w[k];
        if (!(from_pos ? l > 0.0 : l < 0.0)) continue;
        const double xr = v[2 * (i + n * k)], xi = v[2 * (i + n * k) + 1];
        const double yr = v[2 * (j + n * k)], yi = v[2 * (j + n * k) + 1];
        ar += l * (xr * yr + xi * yi);
        ai += l * (xi * yr - xr * yi);
      }
      if (i == j) {
        x[idx] = from_pos ? ar : x[idx] - ar;
        ++idx;
      } else {
        x[idx] = from_pos ? kSqrt2 * ar : x[idx] - kSqrt2 * ar;
        x[idx + 1] = from_pos ? kSqrt2 * ai : x[idx + 1] - kSqrt2 * ai;
        idx += 2;
      }
    }
  }
}

// Scratch sizes (doubles) for the Jacobi projections below.
ISACBF_HD_INLINE int psd_real_scratch(int n) { return 2 * n * n + n; }
ISACBF_HD_INLINE int psd_herm_scratch(int n) { return 4 * n * n + n; }

// In-place projection of an svec onto the real PSD cone with the Jacobi eigensolver.
ISACBF_HD_INLINE int project_psd_real_jacobi(int n, double* x, double* scratch) {
  double* a = scratch;
  double* v = scratch + n * n;
  double* w = scratch + 2 * n * n;
  svec_unpack(n, x, a);
  const int sweeps = jacobi_eig_real(n, a, v, w);
  psd_rebuild_real(n, v, w, x);
  return sweeps;
}

// In-place projection of an hvec onto the complex Hermitian PSD cone with the Jacobi eigensolver.
ISACBF_HD_INLINE int project_psd_herm_jacobi(int n, double* x, double* scratch) {
  double* a = scratch;
  double* v = scratch + 2 * n * n;
  double* w = scratch + 4 * n * n;
  hvec_unpack(n, x, a);
  const int sweeps = jacobi_eig_herm(n, a, v, w);
  psd_rebuild_herm(n, v, w, x);
  return sweeps;
}

}  // namespace isacbf::kernels
