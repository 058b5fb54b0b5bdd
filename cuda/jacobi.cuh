#pragma once
// Cyclic complex Jacobi for small Hermitian matrices, two flavours:
//  - jacobi_thread<N>: one matrix per thread, everything in registers (N <= 4, loops fully unrolled);
//  - jacobi_warp: one matrix per warp in shared memory, n/2 disjoint rotations per step (parallel
//    "round robin" ordering), n <= 32.
// A rotation for the pair (p, q) with b = A_pq = |b| e^{i phi} is J = diag(1, e^{-i phi}) R, R the real
// Jacobi rotation of [[a, |b|], [|b|, d]]; A <- J^H A J, V <- V J.
#include <cuda_runtime.h>

namespace isacbf::gpu::detail {

struct Rot {
  double c, s, er, ei;  // cos, sin and e^{i phi} = er + i ei
  double tb;            // t |b|: the diagonal moves by -tb (p) and +tb (q)
};

// Few divisions and square roots (they dominate a 4x4 solve): one rsqrt for |b|, one sqrt and one
// division for t, one rsqrt for c.
__device__ inline Rot make_rot(double a, double d, double br, double bi) {
  const double ab2 = br * br + bi * bi;
  Rot r{1.0, 0.0, 1.0, 0.0, 0.0};
  // Skip negligible entries (also avoids 0/0); the sweep test decides convergence.
  const double scale = fabs(a) + fabs(d);
  if (!(ab2 > 1e-300) || ab2 <= 1e-36 * scale * scale) return r;
  const double inv_ab = rsqrt(ab2);
  const double ab = ab2 * inv_ab;
  const double tau = 0.5 * (d - a) * inv_ab;
  const double t = (tau >= 0.0 ? 1.0 : -1.0) / (fabs(tau) + sqrt(1.0 + tau * tau));
  r.c = rsqrt(1.0 + t * t);
  r.s = t * r.c;
  r.er = br * inv_ab;
  r.ei = bi * inv_ab;
  r.tb = t * ab;
  return r;
}

// Column update on (x_p, x_q) = (A_ip, A_iq):  x_p' = c x_p - s e^{-i phi} x_q,  x_q' = s x_p + c e^{-i phi} x_q.
__device__ inline void rot_cols(const Rot& r, double& pr, double& pi, double& qr, double& qi) {
  const double tr = qr * r.er + qi * r.ei;  // e^{-i phi} x_q
  const double ti = qi * r.er - qr * r.ei;
  const double npr = r.c * pr - r.s * tr, npi = r.c * pi - r.s * ti;
  const double nqr = r.s * pr + r.c * tr, nqi = r.s * pi + r.c * ti;
  pr = npr; pi = npi; qr = nqr; qi = nqi;
}
// Row update on (A_pj, A_qj):  y_p' = c y_p - s e^{i phi} y_q,  y_q' = s y_p + c e^{i phi} y_q.
__device__ inline void rot_rows(const Rot& r, double& pr, double& pi, double& qr, double& qi) {
  const double tr = qr * r.er - qi * r.ei;  // e^{i phi} y_q
  const double ti = qi * r.er + qr * r.ei;
  const double npr = r.c * pr - r.s * tr, npi = r.c * pi - r.s * ti;
  const double nqr = r.s * pr + r.c * tr, nqi = r.s * pi + r.c * ti;
  pr = npr; pi = npi; qr = nqr; qi = nqi;
}

inline constexpr int kMaxSweeps = 20;
inline constexpr double kOffTol2 = 1e-30;  // stop when off-diagonal^2 <= kOffTol2 * ||A||_F^2

// A (re ar, im ai) Hermitian in registers, full storage; V starts as identity. On return the diagonal of
// A holds the eigenvalues (unordered) and the columns of V the eigenvectors.
template <int N>
__device__ inline void jacobi_thread(double (&ar)[N][N], double (&ai)[N][N], double (&vr)[N][N], double (&vi)[N][N]) {
#pragma unroll
  for (int i = 0; i < N; ++i)
#pragma unroll
    for (int j = 0; j < N; ++j) { vr[i][j] = (i == j) ? 1.0 : 0.0; vi[i][j] = 0.0; }
  double fro = 0.0;
#pragma unroll
  for (int i = 0; i < N; ++i)
#pragma unroll
    for (int j = 0; j < N; ++j) fro += ar[i][j] * ar[i][j] + ai[i][j] * ai[i][j];
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    double off = 0.0;
#pragma unroll
    for (int i = 0; i < N; ++i)
#pragma unroll
      for (int j = 0; j < N; ++j)
        if (i != j) off += ar[i][j] * ar[i][j] + ai[i][j] * ai[i][j];
    if (off <= kOffTol2 * fro) break;
#pragma unroll
    for (int p = 0; p < N - 1; ++p)
#pragma unroll
      for (int q = p + 1; q < N; ++q) {
        const Rot r = make_rot(ar[p][p], ar[q][q], ar[p][q], ai[p][q]);
        // Hermitian: only rows i outside {p, q} need the column update (rows p, q follow by conjugation),
        // and the 2x2 block becomes diag(a - tb, d + tb).
#pragma unroll
        for (int i = 0; i < N; ++i) {
          if (i != p && i != q) {
            rot_cols(r, ar[i][p], ai[i][p], ar[i][q], ai[i][q]);
            ar[p][i] = ar[i][p]; ai[p][i] = -ai[i][p];
            ar[q][i] = ar[i][q]; ai[q][i] = -ai[i][q];
          }
          rot_cols(r, vr[i][p], vi[i][p], vr[i][q], vi[i][q]);
        }
        ar[p][p] -= r.tb;
        ar[q][q] += r.tb;
        ar[p][q] = ai[p][q] = ar[q][p] = ai[q][p] = 0.0;
      }
  }
}

// Shared-memory layout of one warp's matrix: column-major n x n, separate re/im planes (ld = n).
struct WarpMats {
  double* ar; double* ai; double* vr; double* vi;
  Rot* rot;      // n/2 + 1 rotations of the current step
  int* pair;     // 2 * (n/2 + 1) indices
};

__device__ inline size_t warp_smem_bytes(int n) {
  const int ne = n + (n & 1);
  return sizeof(double) * 4 * n * n + sizeof(Rot) * (ne / 2) + sizeof(int) * ne;
}

__device__ inline double warp_sum(double v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// The warp's matrix is already in m.ar/m.ai; V is set to identity here.
__device__ inline void jacobi_warp(int n, const WarpMats& m) {
  const int lane = threadIdx.x & 31;
  for (int t = lane; t < n * n; t += 32) { m.vr[t] = (t % n == t / n) ? 1.0 : 0.0; m.vi[t] = 0.0; }
  double fro = 0.0;
  for (int t = lane; t < n * n; t += 32) fro += m.ar[t] * m.ar[t] + m.ai[t] * m.ai[t];
  fro = warp_sum(fro);
  const int ne = n + (n & 1);  // odd n: one dummy index, its pairs are skipped
  const int half = ne / 2;
  __syncwarp();
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    double off = 0.0;
    for (int t = lane; t < n * n; t += 32)
      if (t % n != t / n) off += m.ar[t] * m.ar[t] + m.ai[t] * m.ai[t];
    off = warp_sum(off);
    if (off <= kOffTol2 * fro) break;
    for (int round = 0; round < ne - 1; ++round) {
      for (int k = lane; k < half; k += 32) {
        const int a = (k == 0) ? 0 : ((k - 1 + round) % (ne - 1)) + 1;
        const int b = ((ne - 1 - k - 1 + round) % (ne - 1)) + 1;
        const int p = a < b ? a : b, q = a < b ? b : a;
        m.pair[2 * k] = p;
        m.pair[2 * k + 1] = q;
        if (q < n) {
          m.rot[k] = make_rot(m.ar[p * n + p], m.ar[q * n + q], m.ar[q * n + p], m.ai[q * n + p]);
        } else {
          m.rot[k] = Rot{1.0, 0.0, 1.0, 0.0, 0.0};
        }
      }
      __syncwarp();
      // All column rotations (disjoint column pairs) at once, then all row rotations.
      for (int t = lane; t < half * n; t += 32) {
        const int k = t / n, i = t % n;
        const int p = m.pair[2 * k], q = m.pair[2 * k + 1];
        if (q >= n) continue;
        const Rot r = m.rot[k];
        rot_cols(r, m.ar[p * n + i], m.ai[p * n + i], m.ar[q * n + i], m.ai[q * n + i]);
        rot_cols(r, m.vr[p * n + i], m.vi[p * n + i], m.vr[q * n + i], m.vi[q * n + i]);
      }
      __syncwarp();
      for (int t = lane; t < half * n; t += 32) {
        const int k = t / n, j = t % n;
        const int p = m.pair[2 * k], q = m.pair[2 * k + 1];
        if (q >= n) continue;
        const Rot r = m.rot[k];
        rot_rows(r, m.ar[j * n + p], m.ai[j * n + p], m.ar[j * n + q], m.ai[j * n + q]);
      }
      __syncwarp();
      for (int k = lane; k < half; k += 32) {  // exact zeros where the rotation annihilated
        const int p = m.pair[2 * k], q = m.pair[2 * k + 1];
        if (q >= n) continue;
        m.ar[q * n + p] = m.ai[q * n + p] = m.ar[p * n + q] = m.ai[p * n + q] = 0.0;
        m.ai[p * n + p] = m.ai[q * n + q] = 0.0;
      }
      __syncwarp();
    }
  }
}

}  // namespace isacbf::gpu::detail
