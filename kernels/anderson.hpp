#pragma once
// Anderson acceleration of the ADMM's fixed-point map w -> T(w), one instance's bookkeeping and small
// dense algebra, written once for the CPU reference (host/conic/anderson.cpp) and the GPU backend
// (cuda/admm_batched.cu). Only the long dot products and vector updates differ (Eigen on the CPU, one
// warp per instance on the device).
//   f_k = T(w_k) - w_k,  S = [w_{i+1} - w_i],  Y = [f_{i+1} - f_i]  (the last `memory` pairs, a ring)
//   type II: (Y^T Y + lambda I) gamma = Y^T f_k;   type I: (S^T Y + lambda I) gamma = S^T f_k
//   w_{k+1} = T(w_k) - (S + Y) gamma,   lambda = reg * ||normal matrix||_F
// The normal matrix G (left factor M = S for type I, Y for type II) is kept up to date one ring slot at a
// time: a new pair in slot j changes row j and column j only.
// The safeguard: the step after an extrapolation, a fixed-point residual larger than `safeguard` times
// the one the extrapolation started from undoes it (back to the plain T(w_k)).
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

constexpr double kAndersonMaxCoefficient = 1e6;  // a larger |gamma_i| gives the plain step (and a reset)

struct AndersonState {
  int count = 0;            // stored pairs
  int next = 0;             // ring slot of the next pair
  int have_prev = 0;        // w_prev / f_prev hold the previous extrapolation's input
  int last_was_aa = 0;      // the latest step was extrapolated (the safeguard looks at the next one)
  double fnorm_prev = 0.0;  // ||f|| where the latest extrapolation started
  int accepted = 0;         // extrapolated steps taken
  int rejected = 0;         // extrapolated steps undone by the safeguard
};

// Forget the stored pairs (after a scale change, a failed solve, or a rejection when so configured).
ISACBF_HD_INLINE void anderson_reset(AndersonState& s) {
  s.count = 0;
  s.next = 0;
  s.have_prev = 0;
}

// Slot for a new (S, Y) pair, advancing the ring; the caller writes the pair there.
ISACBF_HD_INLINE int anderson_push(AndersonState& s, int memory) {
  const int slot = s.next;
  s.next = (s.next + 1) % memory;
  if (s.count < memory) ++s.count;
  return slot;
}

// The safeguard's test at the step after an extrapolation.
ISACBF_HD_INLINE bool anderson_rejects(const AndersonState& s, double fnorm, double safeguard) {
  return s.last_was_aa && fnorm > safeguard * s.fnorm_prev;
}

// The rejected step's bookkeeping (the caller goes back to the saved plain iterate).
ISACBF_HD_INLINE void anderson_on_reject(AndersonState& s, bool reset) {
  if (reset) anderson_reset(s);
  s.last_was_aa = 0;
  ++s.rejected;
}

// Slot j of the normal matrix G (row-major, leading dimension ld) from a new pair: col = M_i . Y_j and
// row = M_j . Y_i for the stored pair i (equal for type II, G symmetric).
ISACBF_HD_INLINE void anderson_gram_set(double* G, int ld, int i, int j, double col, double row) {
  G[i * ld + j] = col;
  G[j * ld + i] = row;
}

// gamma from the leading count x count block of G and rhs = M^T f: (G + lambda I) gamma = rhs with
// lambda = reg ||G||_F, by Cholesky (type II, G symmetric positive semidefinite) or by LU with partial
// pivoting (type I). work holds count * count doubles. False when a pivot vanishes or gamma is not
// finite or exceeds kAndersonMaxCoefficient in magnitude (the caller then takes the plain step).
ISACBF_HD_INLINE bool anderson_coefficients(int count, int ld, const double* G, const double* rhs, bool type1,
                                            double reg, double* work, double* gamma) {
  double fro = 0.0;
  for (int i = 0; i < count; ++i)
    for (int j = 0; j < count; ++j) fro += G[i * ld + j] * G[i * ld + j];
  const double lambda = reg * sqrt(fro);
  double* a = work;  // row-major count x count
  for (int i = 0; i < count; ++i) {
    for (int j = 0; j < count; ++j) a[i * count + j] = G[i * ld + j];
    a[i * count + i] += lambda;
    gamma[i] = rhs[i];
  }
  if (!type1) {
    // a = L L^T in the lower triangle, then L y = rhs, L^T gamma = y
    for (int j = 0; j < count; ++j) {
      double d = a[j * count + j];
      for (int k = 0; k < j; ++k) d -= a[j * count + k] * a[j * count + k];
      if (!(d > 0.0)) return false;
      const double ljj = sqrt(d);
      a[j * count + j] = ljj;
      for (int i = j + 1; i < count; ++i) {
        double v = a[i * count + j];
        for (int k = 0; k < j; ++k) v -= a[i * count + k] * a[j * count + k];
        a[i * count + j] = v / ljj;
      }
    }
    for (int i = 0; i < count; ++i) {
      double v = gamma[i];
      for (int k = 0; k < i; ++k) v -= a[i * count + k] * gamma[k];
      gamma[i] = v / a[i * count + i];
    }
    for (int i = count - 1; i >= 0; --i) {
      double v = gamma[i];
      for (int k = i + 1; k < count; ++k) v -= a[k * count + i] * gamma[k];
      gamma[i] = v / a[i * count + i];
    }
  } else {
    // Gaussian elimination with partial pivoting, rows of a and gamma swapped together
    for (int j = 0; j < count; ++j) {
      int piv = j;
      for (int i = j + 1; i < count; ++i)
        if (fabs(a[i * count + j]) > fabs(a[piv * count + j])) piv = i;
      if (!(fabs(a[piv * count + j]) > 0.0)) return false;
      if (piv != j) {
        for (int k = 0; k < count; ++k) {
          const double t = a[j * count + k];
          a[j * count + k] = a[piv * count + k];
          a[piv * count + k] = t;
        }
        const double t = gamma[j];
        gamma[j] = gamma[piv];
        gamma[piv] = t;
      }
      for (int i = j + 1; i < count; ++i) {
        const double f = a[i * count + j] / a[j * count + j];
        for (int k = j + 1; k < count; ++k) a[i * count + k] -= f * a[j * count + k];
        gamma[i] -= f * gamma[j];
      }
    }
    for (int i = count - 1; i >= 0; --i) {
      double v = gamma[i];
      for (int k = i + 1; k < count; ++k) v -= a[i * count + k] * gamma[k];
      gamma[i] = v / a[i * count + i];
    }
  }
  for (int i = 0; i < count; ++i)
    if (!(fabs(gamma[i]) <= kAndersonMaxCoefficient)) return false;  // also catches NaN
  return true;
}

}  // namespace isacbf::kernels
