#pragma once
// Anderson acceleration of the ADMM's fixed-point map w -> T(w), per instance:
// - the bookkeeping (state, ring, safeguard, counters), shared by the CPU reference
//   (host/conic/anderson.cpp) and the GPU backend (cuda/admm_batched.cu);
// - the device's whole step, anderson_after_update with its small solve, which the GPU runs with a warp
//   per instance and the CPU tests with one lane. The CPU's own class forms and solves the normal matrix
//   with Eigen instead (host/conic/anderson.cpp says why); the two agree to rounding.
//   f_k = T(w_k) - w_k,  S = [w_{i+1} - w_i],  Y = [f_{i+1} - f_i]  (the last `memory` pairs, a ring)
//   type II: (Y^T Y + lambda I) gamma = Y^T f_k;   type I: (S^T Y + lambda I) gamma = S^T f_k
//   w_{k+1} = T(w_k) - (S + Y) gamma,   lambda = reg * ||normal matrix||_F
// The normal matrix G (left factor M = S for type I, Y for type II) is kept up to date one ring slot at a
// time: a new pair in slot j changes row j and column j only.
// The safeguard: the step after an extrapolation, a fixed-point residual larger than `safeguard` times
// the one the extrapolation started from undoes it (back to the plain T(w_k)).
#include <math.h>

#include "kernels/cholesky_solve.hpp"
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

// Forget the stored pairs (after a failed solve, or a rejection when so configured).
ISACBF_HD_INLINE void anderson_reset(AndersonState& s) {
  s.count = 0;
  s.next = 0;
  s.have_prev = 0;
}

// After a scale change: the pairs and any pending safeguard test go.
ISACBF_HD_INLINE void anderson_restart(AndersonState& s) {
  anderson_reset(s);
  s.last_was_aa = 0;
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
    // a = L L^T, L column-major in the lower triangle (a is symmetric, so either layout reads the same),
    // then the Woodbury capacitance's solve (kernels/cholesky_solve.hpp)
    for (int j = 0; j < count; ++j) {
      double d = a[j * count + j];
      for (int k = 0; k < j; ++k) d -= a[k * count + j] * a[k * count + j];
      if (!(d > 0.0)) return false;
      const double ljj = sqrt(d);
      a[j * count + j] = ljj;
      for (int i = j + 1; i < count; ++i) {
        double v = a[j * count + i];
        for (int k = 0; k < j; ++k) v -= a[k * count + i] * a[k * count + j];
        a[j * count + i] = v / ljj;
      }
    }
    cholesky_solve_in_place(count, a, gamma);
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

// One instance's buffers for anderson_after_update (the GPU keeps them per instance in device memory).
struct AndersonBuffers {
  double* S;         // memory * L: pair slot j at j * L
  double* Y;
  double* w_prev;    // L: the latest extrapolation's input w_k, its f_k and the plain T(w_k)
  double* f_prev;
  double* tw_saved;
  double* gram;      // memory * memory, row-major: the slot-by-slot normal matrix
  double* work;      // memory * memory + 2 * memory: factor, right-hand side, gamma
};

// Every field is set by the caller from conic::Settings (its defaults live there alone).
struct AndersonConfig {
  int memory = 0;
  int type1 = 0;
  int reset_on_reject = 0;
  double reg = 0.0;
  double safeguard = 0.0;
  double alpha = 0.0;  // the relaxation: f = T(w_k) - w_k = alpha (u - ut)
};

// How the threads that share one instance split its loops: every entry e = first(), first() + stride(),
// ...; sum() reduces partial sums so that every thread holds the totals; sync() orders memory between
// them; leader() does the scalar work and from_leader() broadcasts its result. SerialLanes is one thread
// (the CPU test); the GPU uses a warp (WarpLanes in cuda/admm_batched.cu).
struct SerialLanes {
  ISACBF_HD int first() const { return 0; }
  ISACBF_HD int stride() const { return 1; }
  template <int K>
  ISACBF_HD void sum(double (&)[K]) const {}
  ISACBF_HD void sync() const {}
  ISACBF_HD int from_leader(int v) const { return v; }
  ISACBF_HD bool leader() const { return true; }
};

// Anderson's part of one iteration, after the relaxation step left w = T(w_k) (u, ut from that step), in
// the CPU loop's order (host/conic/admm.cpp):
// - at the step after an extrapolation, the safeguard may restore the plain T(w_k) of that step;
// - when `extrapolate` (every `interval` iterations) the pair (w_k - w_prev, f_k - f_prev) enters the ring,
//   the normal matrix's row and column of its slot are recomputed, the leader solves for gamma, and
//   w = T(w_k) - (S + Y) gamma.
// Wherever w changes, rhs = r o w follows (the right-hand side of the next linear solve). *state is
// read by every lane and written by the leader.
template <class Lanes>
ISACBF_HD_INLINE void anderson_after_update(const Lanes& lanes, AndersonState* state, const AndersonConfig& cfg,
                                            const AndersonBuffers& buf, long long L, bool extrapolate,
                                            const double* r, const double* u, const double* ut, double* w,
                                            double* rhs) {
  AndersonState st = *state;
  if (!st.last_was_aa && !extrapolate) return;
  const long long e0 = lanes.first(), de = lanes.stride();
  double norm2[1] = {0.0};
  for (long long e = e0; e < L; e += de) {
    const double fe = cfg.alpha * (u[e] - ut[e]);
    norm2[0] += fe * fe;
  }
  lanes.sum(norm2);
  const double fnorm = sqrt(norm2[0]);
  if (anderson_rejects(st, fnorm, cfg.safeguard)) {
    for (long long e = e0; e < L; e += de) {
      w[e] = buf.tw_saved[e];
      rhs[e] = r[e] * w[e];
    }
    if (lanes.leader()) {
      anderson_on_reject(st, cfg.reset_on_reject != 0);
      *state = st;
    }
    return;
  }
  if (!extrapolate) {
    if (lanes.leader()) state->last_was_aa = 0;
    return;
  }
  const int slot = st.have_prev ? anderson_push(st, cfg.memory) : -1;  // every lane, the same result
  for (long long e = e0; e < L; e += de) {
    const double fe = cfg.alpha * (u[e] - ut[e]);
    const double tw = w[e];
    const double wk = tw - fe;
    if (slot >= 0) {
      buf.S[slot * L + e] = wk - buf.w_prev[e];
      buf.Y[slot * L + e] = fe - buf.f_prev[e];
    }
    buf.w_prev[e] = wk;
    buf.f_prev[e] = fe;
    buf.tw_saved[e] = tw;
  }
  lanes.sync();
  st.have_prev = 1;
  st.fnorm_prev = fnorm;
  st.last_was_aa = 0;
  const int count = st.count;
  if (count == 0 || slot < 0) {
    if (lanes.leader()) *state = st;
    return;
  }
  const int mem = cfg.memory;
  const double* M = cfg.type1 ? buf.S : buf.Y;
  double* rhs_aa = buf.work + mem * mem;
  double* gamma = rhs_aa + mem;
  for (int i = 0; i < count; ++i) {
    double dots[3] = {0.0, 0.0, 0.0};  // M_i . Y_slot, M_slot . Y_i, M_i . f_k
    for (long long e = e0; e < L; e += de) {
      dots[0] += M[i * L + e] * buf.Y[slot * L + e];
      dots[1] += M[slot * L + e] * buf.Y[i * L + e];
      dots[2] += M[i * L + e] * buf.f_prev[e];
    }
    lanes.sum(dots);
    if (lanes.leader()) {
      anderson_gram_set(buf.gram, mem, i, slot, dots[0], dots[1]);
      rhs_aa[i] = dots[2];
    }
  }
  int ok = 0;
  if (lanes.leader()) {
    ok = anderson_coefficients(count, mem, buf.gram, rhs_aa, cfg.type1 != 0, cfg.reg, buf.work, gamma) ? 1 : 0;
    if (ok) {
      st.last_was_aa = 1;
      ++st.accepted;
    } else {
      anderson_reset(st);  // the plain step: w stays T(w_k)
    }
    *state = st;
  }
  ok = lanes.from_leader(ok);
  lanes.sync();  // gamma, written by the leader, visible to every lane
  if (!ok) return;
  for (long long e = e0; e < L; e += de) {
    double corr = 0.0;
    for (int i = 0; i < count; ++i) corr += gamma[i] * (buf.S[i * L + e] + buf.Y[i * L + e]);
    const double we = buf.tw_saved[e] - corr;
    w[e] = we;
    rhs[e] = r[e] * we;
  }
}

}  // namespace isacbf::kernels
