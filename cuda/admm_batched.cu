// The batched HSDE ADMM loop on the device (see admm_batched.hpp). Everything stays resident: the host
// only reads three integers (instances still running, the PSD error flag, instances whose adaptive scale
// changed) per check, every check_interval iterations, and replays those iterations as one CUDA graph
// when every projection is a kernel of ours. A scale change is rare (at most one per
// scale_update_min_iters iterations per instance): only then are the flagged instances refactored.
#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>
#include <string>

#include "cuda/admm_batched.hpp"
#include "cuda/check.hpp"
#include "cuda/psd_batched.hpp"
#include "cuda/woodbury_factor.hpp"
#include "kernels/adaptive_scale.hpp"
#include "kernels/anderson.hpp"
#include "kernels/cholesky_solve.hpp"
#include "kernels/admm_step.hpp"
#include "kernels/cones.hpp"

namespace isacbf::gpu {
namespace {

constexpr int kThreads = 256;
constexpr int kBlockThreads = 128;
unsigned grid_for(long long items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

struct Dims {
  int B, n, m, p, nnz;
  long long L;  // n + m + 1
};

// out_j = base_j + sign * sum_k A_kj y_k / div_k  (per column j; base and div may be null)
__global__ void k_at(Dims d, const int* col_ptr, const int* row_idx, const double* csc, const double* y, long long sy,
                     const double* div, const double* base, long long sb, double* out, long long so, double sign,
                     const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * d.n) return;
  const long long b = t / d.n;
  const int j = static_cast<int>(t % d.n);
  if (active && !active[b]) return;
  const double* vals = csc + b * d.nnz;
  const double* yb = y + b * sy;
  const double* db = div ? div + b * sy : nullptr;
  double acc = 0.0;
  for (int k = col_ptr[j]; k < col_ptr[j + 1]; ++k) {
    const int i = row_idx[k];
    acc += vals[k] * (db ? yb[i] / db[i] : yb[i]);
  }
  out[b * so + j] = (base ? base[b * sb + j] : 0.0) + sign * acc;
}

// out_i = (base_i + sum_k A_ik x_k) / div_i  (per row i; base and div may be null)
__global__ void k_ax(Dims d, const int* row_ptr, const int* col_idx, const double* csr, const double* x, long long sx,
                     const double* base, const double* div, long long sb, double* out, long long so,
                     const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * d.m) return;
  const long long b = t / d.m;
  const int i = static_cast<int>(t % d.m);
  if (active && !active[b]) return;
  const double* vals = csr + b * d.nnz;
  const double* xb = x + b * sx;
  double acc = base ? base[b * sb + i] : 0.0;
  for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) acc += vals[k] * xb[col_idx[k]];
  out[b * so + i] = div ? acc / div[b * sb + i] : acc;
}

// t_r = sum over row multi[r] of A_rk dinv_k rx_k
__global__ void k_r(Dims d, const int* multi, const int* row_ptr, const int* col_idx, const double* csr,
                    const double* dinv, const double* rx, double* tv, const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * d.p) return;
  const long long b = t / d.p;
  if (active && !active[b]) return;
  const int row = multi[t % d.p];
  const double* vals = csr + b * d.nnz;
  double acc = 0.0;
  for (int k = row_ptr[row]; k < row_ptr[row + 1]; ++k) {
    const int j = col_idx[k];
    acc += vals[k] * dinv[b * d.n + j] * rx[b * d.n + j];
  }
  tv[t] = acc;
}

// q = S^-1 t with S's Cholesky factor (p x p per instance, column-major), one thread per instance: p is
// small for the models (K + 2 + K rows for model A's P4).
__global__ void k_s(Dims d, const double* chol, const double* tv, double* qv, const int* active) {
  const long long b = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (b >= d.B || (active && !active[b])) return;
  double* q = qv + b * d.p;
  for (int r = 0; r < d.p; ++r) q[r] = tv[b * d.p + r];
  kernels::cholesky_solve_in_place(d.p, chol + b * d.p * d.p, q);
}

// zx_j = dinv_j (rx_j - (R^T q)_j), added to zx when `accumulate` (the refinement step)
__global__ void k_rt(Dims d, const int* rt_ptr, const int* rt_k, const int* rt_pos, const double* csr,
                     const double* dinv, const double* rx, const double* qv, double* z, int accumulate,
                     const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * d.n) return;
  const long long b = t / d.n;
  if (active && !active[b]) return;
  const int j = static_cast<int>(t % d.n);
  double acc = 0.0;
  if (d.p > 0)
    for (int e = rt_ptr[j]; e < rt_ptr[j + 1]; ++e) acc += csr[b * d.nnz + rt_pos[e]] * qv[b * d.p + rt_k[e]];
  const double zx = dinv[t] * (rx[t] - acc);
  z[b * d.L + j] = accumulate ? z[b * d.L + j] + zx : zx;
}

// Residual of the x-system at z_x: res_j = rx_j - rho_x z_j - (A^T diag(1/r_y) A z_x)_j, from az = A z_x.
__global__ void k_refine_residual(Dims d, const int* col_ptr, const int* row_idx, const double* csc, const double* r,
                                  const double* az, const double* rx, const double* z, double* res,
                                  const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * d.n) return;
  const long long b = t / d.n;
  if (active && !active[b]) return;
  const int j = static_cast<int>(t % d.n);
  const double* vals = csc + b * d.nnz;
  const double* ry = r + b * d.L + d.n;
  double acc = 0.0;
  for (int k = col_ptr[j]; k < col_ptr[j + 1]; ++k) acc += vals[k] * az[b * d.m + row_idx[k]] / ry[row_idx[k]];
  res[t] = rx[t] - r[b * d.L + j] * z[b * d.L + j] - acc;
}

// One warp per instance for the per-instance reductions: instances here are a few hundred entries
// (model A reduced), where a block per instance left most threads idle.
constexpr int kWarpsPerBlock = kBlockThreads / 32;
__device__ inline long long warp_instance() { return blockIdx.x * 1LL * kWarpsPerBlock + threadIdx.x / 32; }
__device__ inline int lane_id() { return threadIdx.x & 31; }
unsigned warp_grid(int batch) { return static_cast<unsigned>((batch + kWarpsPerBlock - 1) / kWarpsPerBlock); }

// Several warp-wide reductions at once (sum or max); every lane gets the results.
template <int K>
__device__ void warp_reduce(double (&vals)[K], const bool (&is_max)[K]) {
  for (int o = 16; o > 0; o >>= 1)
    for (int k = 0; k < K; ++k) {
      const double other = __shfl_xor_sync(0xffffffffu, vals[k], o);
      vals[k] = is_max[k] ? fmax(vals[k], other) : vals[k] + other;
    }
}

// h^T z for h = (c, b), one warp per instance
__device__ double warp_h_dot(Dims d, long long b, const double* c, const double* bb, const double* z) {
  double v[1] = {0.0};
  const bool mx[1] = {false};
  for (int j = lane_id(); j < d.n; j += 32) v[0] += c[b * d.n + j] * z[b * d.L + j];
  for (int i = lane_id(); i < d.m; i += 32) v[0] += bb[b * d.m + i] * z[b * d.L + d.n + i];
  warp_reduce<1>(v, mx);
  return v[0];
}

__global__ void k_hg(Dims d, const double* c, const double* bb, const double* g, double* hg, const int* active) {
  const long long b = warp_instance();
  if (b >= d.B || (active && !active[b])) return;
  const double v = warp_h_dot(d, b, c, bb, g);
  if (lane_id() == 0) hg[b] = v;
}

struct ConeArgs {
  int zero, nonneg, nsoc, exp_primal, exp_dual, exp_offset;
  const int* soc_sizes;  // device
  const int* soc_offsets;
};

// Steps 2-4 of kernels/admm_step.hpp for every cone but the PSD and exponential blocks (one warp per
// instance): tau~, ut = p - tau~ g, u = 2 ut - w, u_y onto K* (zero rows free, orthant, SOC), u_tau >= 0.
__global__ void k_tau_project(Dims d, ConeArgs cones, const double* c, const double* bb, const double* g,
                              const double* hg, const double* r, const double* p, const double* w, double* u,
                              double* ut, const int* active) {
  const long long b = warp_instance();
  if (b >= d.B || !active[b]) return;  // whole warps leave together
  const long long base = b * d.L;
  const double hp = warp_h_dot(d, b, c, bb, p);
  const double rt = r[base + d.L - 1];
  const double tau = (rt * w[base + d.L - 1] + hp) / (rt + hg[b]);
  for (long long e = lane_id(); e < d.L; e += 32) {
    const double ue = (e < d.L - 1) ? p[base + e] - tau * g[base + e] : tau;
    ut[base + e] = ue;
    double x = 2.0 * ue - w[base + e];
    const long long row = e - d.n;
    if (e == d.L - 1) kernels::admm_project_tau(&x);
    else if (row >= cones.zero && row < cones.zero + cones.nonneg) kernels::project_nonneg(1, &x);
    u[base + e] = x;  // x and zero-cone rows: free (the dual of {0})
  }
  __syncwarp();
  double* y = u + base + d.n;
  for (int k = lane_id(); k < cones.nsoc; k += 32)
    kernels::project_soc(cones.soc_sizes[k], y + cones.soc_offsets[k]);
}

// Exponential cones, one thread per cone: their root finding is the longest per-cone work, and with a
// warp per instance only a few lanes had a cone (measured: this step was 256 of ~475 us per iteration at
// 16384 instances under ncu).
__global__ void k_exp_project(Dims d, ConeArgs cones, double* u, const int* active) {
  const int per = cones.exp_primal + cones.exp_dual;
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= 1LL * d.B * per) return;
  const long long b = t / per;
  const int k = static_cast<int>(t % per);
  if (!active[b]) return;
  double* blk = u + b * d.L + d.n + cones.exp_offset + 3 * k;
  if (k < cones.exp_primal) kernels::project_exp_dual(blk);  // y lives in the dual cone
  else kernels::project_exp_primal(blk);
}

// Step 5: v = r o (u + w - 2 ut); w += alpha (u - ut); then f = r o w for the next linear solve.
__global__ void k_update(Dims d, const double* r, double alpha, const double* u, const double* ut, double* w,
                         double* v, double* f, const int* active) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= d.B * d.L || !active[t / d.L]) return;
  kernels::admm_relax_update(1, r + t, alpha, u + t, ut + t, w + t, v + t);
  f[t] = r[t] * w[t];
}

// Anderson acceleration (kernels/anderson.hpp): the batch's pairs, normal matrices and scratch, instance b's
// slice of each at b times its per-instance length.
struct AaArgs {
  kernels::AndersonConfig cfg;
  int interval;
  kernels::AndersonState* state;
  double* S;         // batch * memory * L
  double* Y;
  double* w_prev;    // batch * L
  double* f_prev;
  double* tw_saved;
  double* gram;      // batch * memory * memory
  double* work;      // batch * (memory * memory + 2 * memory)
};

// The 32 lanes of a warp sharing one instance (kernels::anderson_after_update's Lanes). The host branches
// exist only so that the __host__ __device__ template compiles for the host too; they are never run.
struct WarpLanes {
  ISACBF_HD int first() const {
#ifdef __CUDA_ARCH__
    return lane_id();
#else
    return 0;
#endif
  }
  ISACBF_HD int stride() const { return 32; }
  template <int K>
  ISACBF_HD void sum(double (&v)[K]) const {
#ifdef __CUDA_ARCH__
    const bool sums[K] = {};
    warp_reduce<K>(v, sums);
#else
    (void)v;
#endif
  }
  ISACBF_HD void sync() const {
#ifdef __CUDA_ARCH__
    __syncwarp();
#endif
  }
  ISACBF_HD int from_leader(int v) const {
#ifdef __CUDA_ARCH__
    return __shfl_sync(0xffffffffu, v, 0);
#else
    return v;
#endif
  }
  ISACBF_HD bool leader() const { return first() == 0; }
};

// After k_update (w = T(w_k)), one warp per instance: kernels::anderson_after_update, the code the CPU
// tests run with SerialLanes. The iteration's 0-based index is *counter (iterations before this chunk)
// + step. Unlike the CPU, a rejected step does not move the check schedule (checks are batch-wide).
__global__ void k_anderson(Dims d, AaArgs a, int step, const int* counter, const double* r, const double* u,
                           const double* ut, double* w, double* rhs, const int* active) {
  const long long b = warp_instance();
  if (b >= d.B || !active[b]) return;  // whole warps leave together
  const long long L = d.L, mem = a.cfg.memory;
  const kernels::AndersonBuffers buf{a.S + b * mem * L, a.Y + b * mem * L, a.w_prev + b * L, a.f_prev + b * L,
                                     a.tw_saved + b * L, a.gram + b * mem * mem, a.work + b * (mem * mem + 2 * mem)};
  const bool extrapolate = (*counter + step) % a.interval == 0;
  kernels::anderson_after_update(WarpLanes{}, a.state + b, a.cfg, buf, L, extrapolate, r + b * L, u + b * L,
                                 ut + b * L, w + b * L, rhs + b * L);
}

// After a scale change: the flagged instances forget their pairs and any pending safeguard test (the CPU's
// Anderson::restart).
__global__ void k_anderson_restart(int batch, const int* flag, kernels::AndersonState* state) {
  const int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= batch || !flag[b]) return;
  kernels::anderson_restart(state[b]);
}

__global__ void k_scale(Dims d, const double* r, const double* w, double* f) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t < d.B * d.L) f[t] = r[t] * w[t];
}

// counters: iterations done, instances still running, (PSD error flag), instances whose scale changed
__global__ void k_advance(int* counter, int by, int* active_count, int* rescale_count) {
  *counter += by;
  *active_count = 0;
  *rescale_count = 0;
}

struct Tolerances {
  double eps_abs, eps_rel, eps_infeas, norm_cap;
};

// The adaptive scale at a check (kernels/adaptive_scale.hpp): per-instance state, and the instances whose
// scale changed (flag per instance, count).
struct ScaleArgs {
  int adaptive;
  kernels::ScaleRule rule;
  kernels::AdaptiveScale* state;
  int* rescale;
  int* rescale_count;
};

// Relative scale of the residual test capped at norm_cap * max(|b|, 1) (times tau), as the CPU (admm.cpp)
__device__ inline double capped(double scale, double cap) { return cap > 0.0 ? fmin(scale, cap) : scale; }

// Termination test on the unscaled quantities (infinity norms, everything multiplied by tau), from
// ax = A_hat u_x and aty = A_hat^T u_y: A x + s - b = D^-1 (A_hat x_hat + s_hat - b_hat) / sigma_b,
// A^T y + c = E^-1 (A_hat^T y_hat + c_hat) / sigma_c, c^T x + b^T y = (c_hat.x_hat + b_hat.y_hat) / (sigma_b sigma_c).
__global__ void k_check(Dims d, Tolerances tol, const double* c, const double* bb, const double* dinv_rows,
                        const double* einv_cols, const double* sigma, const double* u, const double* v,
                        const double* ax, const double* aty, const int* psd_error, const int* counter, int* active,
                        int* code, int* iters, int* active_count, ScaleArgs scl) {
  const long long b = warp_instance();
  if (b >= d.B || !active[b]) return;
  const long long base = b * d.L;
  const double tau = u[base + d.L - 1];
  // sums: c.u_x, b.u_y, non-finite count; maxima: |Ax+s-tau b|, |Ax|, |s|, |b|, |A^T y + tau c|, |A^T y|, |c|,
  // |Ax+s|; sums: |u_y|^2, |v_y|^2 (the balance floor's ||y|| / ||s||, equilibrated, tau cancels)
  double r[13] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const bool mx[13] = {false, false, false, true, true, true, true, true, true, true, true, false, false};
  for (int j = lane_id(); j < d.n; j += 32) {
    const double e = einv_cols[b * d.n + j];
    const double cj = c[b * d.n + j], xj = u[base + j], aj = aty[b * d.n + j];
    r[0] += cj * xj;
    r[2] += isfinite(xj) ? 0.0 : 1.0;
    r[7] = fmax(r[7], e * fabs(aj + tau * cj));
    r[8] = fmax(r[8], e * fabs(aj));
    r[9] = fmax(r[9], e * fabs(cj));
  }
  for (int i = lane_id(); i < d.m; i += 32) {
    const double di = dinv_rows[b * d.m + i];
    const double bi = bb[b * d.m + i], yi = u[base + d.n + i], si = v[base + d.n + i], ai = ax[b * d.m + i];
    r[1] += bi * yi;
    r[2] += (isfinite(yi) && isfinite(si)) ? 0.0 : 1.0;
    r[3] = fmax(r[3], di * fabs(ai + si - tau * bi));
    r[4] = fmax(r[4], di * fabs(ai));
    r[5] = fmax(r[5], di * fabs(si));
    r[6] = fmax(r[6], di * fabs(bi));
    r[10] = fmax(r[10], di * fabs(ai + si));
    r[11] += yi * yi;
    r[12] += si * si;
  }
  warp_reduce<13>(r, mx);
  if (lane_id() != 0) return;
  const double sb = sigma[2 * b], sc = sigma[2 * b + 1];
  const double ctx = r[0] / (sb * sc), bty = r[1] / (sb * sc);
  // tau times: the primal / dual residuals and their tolerances
  const double pri = r[3] / sb, dual = r[7] / sc;
  const double eps_pri = tol.eps_abs * tau + tol.eps_rel * capped(fmax(fmax(r[4], r[5]), tau * r[6]) / sb,
                                                                  tol.norm_cap * tau * fmax(r[6] / sb, 1.0));
  const double eps_dual = tol.eps_abs * tau + tol.eps_rel * capped(fmax(r[8], tau * r[9]) / sc,
                                                                   tol.norm_cap * tau * fmax(r[9] / sc, 1.0));
  const double gap = fabs(ctx + bty), eps_gap = tol.eps_abs * tau + tol.eps_rel * fmax(fabs(ctx), fabs(bty));
  int decided = kRunning;
  if (r[2] > 0.0 || !isfinite(tau) || *psd_error) {
    decided = kNumerical;
  } else if (tau > 0.0 && pri <= eps_pri && dual <= eps_dual && gap <= eps_gap) {
    decided = kOptimal;
  } else if (bty < 0.0 && r[8] / sc <= tol.eps_infeas * (-bty)) {
    decided = kInfeasible;
  } else if (ctx < 0.0 && r[10] / sb <= tol.eps_infeas * (-ctx)) {
    decided = kUnbounded;
  }
  if (decided != kRunning) {
    code[b] = decided;
    iters[b] = *counter;
    active[b] = 0;
    return;
  }
  atomicAdd(active_count, 1);
  // The CPU's rule on the unscaled residuals (the tau factors above divided out); iteration index 0-based.
  if (scl.adaptive && tau > 0.0 &&
      kernels::adaptive_scale_step(scl.state[b],
                                   kernels::residual_ratio(pri / tau, eps_pri / tau, dual / tau, eps_dual / tau,
                                                           tol.eps_abs),
                                   kernels::termination_distance(pri, eps_pri, dual, eps_dual, gap, eps_gap),
                                   sqrt(r[11]) / fmax(sqrt(r[12]), 1e-300), *counter - 1, scl.rule)) {
    scl.rescale[b] = 1;
    atomicAdd(scl.rescale_count, 1);
  }
}

// Rows of packed per-slot data into the per-instance buffers: dst[slot[k] * len + e] = src[k * len + e].
__global__ void k_scatter(int count, const int* slot, const double* src, long long len, double* dst) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= count * len) return;
  const long long k = t / len;
  dst[slot[k] * len + t % len] = src[t];
}

// Instances whose refactorisation failed stop with a numerical error (the CPU: "refactorisation").
__global__ void k_refactor_failed(int count, const int* slot, const int* ok, const int* counter, int* rescale,
                                  int* active, int* code, int* iters) {
  const int k = blockIdx.x * blockDim.x + threadIdx.x;
  if (k >= count || ok[k]) return;
  const int b = slot[k];
  rescale[b] = 0;
  active[b] = 0;
  code[b] = kNumerical;
  iters[b] = *counter;
}

// f = (c, b, 0) for the flagged instances: the right-hand side of g = M0^-1 h.
__global__ void k_load_h(Dims d, const double* c, const double* bb, double* f, const int* flag) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= d.B * d.L) return;
  const long long b = t / d.L, e = t % d.L;
  if (!flag[b]) return;
  f[t] = e < d.n ? c[b * d.n + e] : (e < d.L - 1 ? bb[b * d.m + e - d.n] : 0.0);
}

// The iterate in the new metric, as the CPU: w = u + R^-1 v (w_x = u_x), and f = R w for the next solve.
__global__ void k_reexpress(Dims d, const double* r, const double* u, const double* v, double* w, double* f,
                            const int* flag) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t >= d.B * d.L || !flag[t / d.L]) return;
  w[t] = t % d.L < d.n ? u[t] : u[t] + v[t] / r[t];
  f[t] = r[t] * w[t];
}

}  // namespace
}  // namespace isacbf::gpu

namespace isacbf::gpu {
namespace {

template <typename T>
DeviceBuffer<T> to_device(const std::vector<T>& host) {
  DeviceBuffer<T> buf;
  buf.upload(host.data(), host.size());
  return buf;
}

class Driver {
 public:
  Driver(const AdmmHostData& h, const AdmmParams& prm) : h_(h), prm_(prm) {
    const auto& lay = h.layout;
    d_.B = h.batch;
    d_.n = lay.n;
    d_.m = lay.m;
    d_.p = static_cast<int>(h.multi_rows.size());
    d_.nnz = h.row_ptr.empty() ? 0 : h.row_ptr.back();
    d_.L = lay.n + lay.m + 1;
    check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
    psd_ = std::make_unique<PsdEngine>(stream_);
    row_ptr_ = to_device(h.row_ptr); col_idx_ = to_device(h.col_idx);
    col_ptr_ = to_device(h.col_ptr); row_idx_ = to_device(h.row_idx);
    csr_ = to_device(h.csr_vals); csc_ = to_device(h.csc_vals);
    multi_ = to_device(h.multi_rows); rt_ptr_ = to_device(h.rt_ptr); rt_k_ = to_device(h.rt_k); rt_pos_ = to_device(h.rt_pos);
    dinv_ = to_device(h.dinv); chol_ = to_device(h.chol); b_ = to_device(h.b); c_ = to_device(h.c);
    r_ = to_device(h.r); w_ = to_device(h.w0);
    dinv_rows_ = to_device(h.dinv_rows); einv_cols_ = to_device(h.einv_cols); sigma_ = to_device(h.sigma);
    const size_t BL = static_cast<size_t>(d_.B) * d_.L;
    u_.resize(BL); v_.resize(BL); f_.resize(BL); ut_.resize(BL); z_.resize(BL); g_.resize(BL);
    check(cudaMemset(u_.get(), 0, BL * sizeof(double)), "cudaMemset");
    check(cudaMemset(v_.get(), 0, BL * sizeof(double)), "cudaMemset");
    rx_.resize(static_cast<size_t>(d_.B) * d_.n);
    aty_.resize(static_cast<size_t>(d_.B) * d_.n);
    ax_.resize(static_cast<size_t>(d_.B) * d_.m);
    if (h.refine) {
      az_.resize(static_cast<size_t>(d_.B) * d_.m);
      res_.resize(static_cast<size_t>(d_.B) * d_.n);
    }
    tv_.resize(static_cast<size_t>(d_.B) * (d_.p + 1));
    qv_.resize(static_cast<size_t>(d_.B) * (d_.p + 1));
    hg_.resize(d_.B);
    std::vector<int> ones(d_.B, 1), zeros(d_.B, 0);
    active_ = to_device(ones); code_ = to_device(zeros); iters_ = to_device(zeros);
    // iteration counter, instances still running, PSD eigensolver error flag, instances whose scale changed
    counters_.resize(4);
    check(cudaMemset(counters_.get(), 0, 4 * sizeof(int)), "cudaMemset");
    std::vector<kernels::AdaptiveScale> start(d_.B);
    for (int b = 0; b < d_.B; ++b) start[b].scale = h.scale0[b];
    scale_state_ = to_device(start);
    rescale_ = to_device(zeros);
    scale_updates_.assign(d_.B, 0);
    std::vector<int> soc_off, soc_sizes(lay.soc);
    int off = lay.zero + lay.nonneg;
    for (int q : lay.soc) { soc_off.push_back(off); off += q; }
    soc_sizes_ = to_device(soc_sizes);
    soc_off_ = to_device(soc_off);
    cones_ = ConeArgs{lay.zero, lay.nonneg, static_cast<int>(lay.soc.size()), lay.exp_primal, lay.exp_dual,
                      lay.exp_offset, soc_sizes_.get(), soc_off_.get()};
    if (prm.anderson_memory > 0) allocate_anderson();
  }
  // cudaMemGetInfo's free bytes at the end of run()'s loop, while every buffer is held.
  std::size_t free_at_end() const { return free_at_end_; }

  ~Driver() {
    if (graph_exec_) cudaGraphExecDestroy(graph_exec_);
    if (stream_) cudaStreamDestroy(stream_);
  }

  // Pairs, normal matrices and state of every instance, zeroed (memcheck's initcheck stays quiet).
  void allocate_anderson() {
    const int mem = prm_.anderson_memory;
    const size_t B = static_cast<size_t>(d_.B), L = static_cast<size_t>(d_.L);
    auto zeroed = [](DeviceBuffer<double>& buf, size_t count) {
      buf.resize(count);
      check(cudaMemset(buf.get(), 0, count * sizeof(double)), "cudaMemset Anderson");
    };
    try {
      zeroed(aa_S_, B * mem * L);
      zeroed(aa_Y_, B * mem * L);
      zeroed(aa_w_prev_, B * L);
      zeroed(aa_f_prev_, B * L);
      zeroed(aa_tw_saved_, B * L);
      zeroed(aa_gram_, B * mem * mem);
      zeroed(aa_work_, B * (mem * mem + 2 * mem));
      aa_state_ = to_device(std::vector<kernels::AndersonState>(B));
    } catch (const CudaError& e) {
      // The pairs are the batch's largest buffers (2 * memory times the iterate): say so.
      const double mib = (2.0 * mem + 3.0) * static_cast<double>(B * L) * sizeof(double) / (1024.0 * 1024.0);
      throw CudaError(std::string(e.what()) + " while allocating Anderson acceleration's " + std::to_string(mib) +
                      " MiB for " + std::to_string(B) + " instances (settings.anderson_memory " +
                      std::to_string(mem) + "): lower anderson_memory (0 turns it off) or split the batch");
    }
    kernels::AndersonConfig cfg;
    cfg.memory = mem;
    cfg.type1 = prm_.anderson_type1 ? 1 : 0;
    cfg.reset_on_reject = prm_.anderson_reset_on_reject ? 1 : 0;
    cfg.reg = prm_.anderson_reg;
    cfg.safeguard = prm_.anderson_safeguard;
    cfg.alpha = prm_.alpha;
    aa_ = AaArgs{cfg, std::max(1, prm_.anderson_interval), aa_state_.get(), aa_S_.get(), aa_Y_.get(),
                 aa_w_prev_.get(), aa_f_prev_.get(), aa_tw_saved_.get(), aa_gram_.get(), aa_work_.get()};
  }

  AdmmResult run(std::chrono::steady_clock::time_point t0) {
    AdmmResult res;
    setup();
    check(cudaStreamSynchronize(stream_), "setup");
    const auto t1 = std::chrono::steady_clock::now();
    bool graph_ok = prm_.use_graph;
    for (const auto& grp : h_.layout.psd)
      if (prm_.eig == EigMethod::cusolver || (prm_.eig == EigMethod::automatic && grp.n > kJacobiAutoOrder))
        graph_ok = false;  // cuSOLVER calls stay outside graphs (host workspace, internal syncs)
    const int k = std::max(1, prm_.check_interval);
    long long done = 0;
    int running = d_.B;
    bool first = true;
    while (running > 0 && done < prm_.max_iters) {
      // Checks after iterations 1, 1 + k, 1 + 2k, ...: the CPU reference's schedule, so iteration counts compare.
      const int now = static_cast<int>(std::min<long long>(first ? 1 : k, prm_.max_iters - done));
      first = false;
      if (graph_ok && now == k) {
        if (!graph_exec_) capture(k);
        check(cudaGraphLaunch(graph_exec_, stream_), "cudaGraphLaunch");
      } else {
        chunk(now);
      }
      done += now;
      int count[3];  // running, PSD error flag, instances whose scale changed
      check(cudaMemcpyAsync(count, counters_.get() + 1, sizeof(count), cudaMemcpyDeviceToHost, stream_), "read count");
      check(cudaStreamSynchronize(stream_), "ADMM iterations");
      running = count[0];
      if (count[2] > 0) rescale();
      if (prm_.on_check) prm_.on_check(done, running);
      if (prm_.time_limit_s > 0.0 &&
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count() > prm_.time_limit_s) {
        res.time_limit_hit = running > 0;
        break;
      }
    }
    const auto t2 = std::chrono::steady_clock::now();
    std::size_t total_bytes = 0;
    check(cudaMemGetInfo(&free_at_end_, &total_bytes), "cudaMemGetInfo");
    res.setup_seconds = std::chrono::duration<double>(t1 - t0).count();
    res.solve_seconds = std::chrono::duration<double>(t2 - t1).count();
    res.total_iterations = done;
    const auto t3 = std::chrono::steady_clock::now();
    res.code.resize(d_.B);
    res.iterations.resize(d_.B);
    res.u.resize(u_.size());
    res.v.resize(v_.size());
    res.w.resize(w_.size());
    w_.download(res.w.data(), res.w.size());
    code_.download(res.code.data(), res.code.size());
    iters_.download(res.iterations.data(), res.iterations.size());
    for (int b = 0; b < d_.B; ++b)
      if (res.code[b] == kRunning) res.iterations[b] = static_cast<int>(done);
    std::vector<kernels::AdaptiveScale> state(d_.B);
    scale_state_.download(state.data(), state.size());
    res.scale.resize(d_.B);
    for (int b = 0; b < d_.B; ++b) res.scale[b] = state[b].scale;
    res.scale_updates = scale_updates_;
    res.anderson_accepted.assign(d_.B, 0);
    res.anderson_rejected.assign(d_.B, 0);
    if (prm_.anderson_memory > 0) {
      std::vector<kernels::AndersonState> aa(d_.B);
      aa_state_.download(aa.data(), aa.size());
      for (int b = 0; b < d_.B; ++b) {
        res.anderson_accepted[b] = aa[b].accepted;
        res.anderson_rejected[b] = aa[b].rejected;
      }
    }
    u_.download(res.u.data(), res.u.size());
    v_.download(res.v.data(), res.v.size());
    res.download_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t3).count();
    return res;
  }

 private:
  // z_x (stride L) = (or +=) (rho_x I + A^T diag(1/r_y) A)^{-1} rhs (stride n) by Woodbury.
  void woodbury(const double* rhs, double* z, bool accumulate, const int* active) {
    if (d_.p > 0) {
      k_r<<<grid_for(1LL * d_.B * d_.p), kThreads, 0, stream_>>>(d_, multi_.get(), row_ptr_.get(), col_idx_.get(),
                                                                 csr_.get(), dinv_.get(), rhs, tv_.get(), active);
      check_launch("k_r");
      k_s<<<grid_for(d_.B), kThreads, 0, stream_>>>(d_, chol_.get(), tv_.get(), qv_.get(), active);
      check_launch("k_s");
    }
    k_rt<<<grid_for(1LL * d_.B * d_.n), kThreads, 0, stream_>>>(d_, rt_ptr_.get(), rt_k_.get(), rt_pos_.get(),
                                                                csr_.get(), dinv_.get(), rhs, qv_.get(), z,
                                                                accumulate ? 1 : 0, active);
    check_launch("k_rt");
  }

  // z = M0^{-1} f for every active instance (f, z with stride L; the tau slot is not touched).
  void solve_m(const double* f, double* z, const int* active) {
    const double* ry = r_.get() + d_.n;
    k_at<<<grid_for(1LL * d_.B * d_.n), kThreads, 0, stream_>>>(d_, col_ptr_.get(), row_idx_.get(), csc_.get(), f + d_.n,
                                                                d_.L, ry, f, d_.L, rx_.get(), d_.n, -1.0, active);
    check_launch("k_at");
    woodbury(rx_.get(), z, false, active);
    if (h_.refine) {  // one step of iterative refinement (AdmmHostData::refine)
      k_ax<<<grid_for(1LL * d_.B * d_.m), kThreads, 0, stream_>>>(d_, row_ptr_.get(), col_idx_.get(), csr_.get(), z,
                                                                  d_.L, nullptr, nullptr, 0, az_.get(), d_.m, active);
      check_launch("k_ax refine");
      k_refine_residual<<<grid_for(1LL * d_.B * d_.n), kThreads, 0, stream_>>>(
          d_, col_ptr_.get(), row_idx_.get(), csc_.get(), r_.get(), az_.get(), rx_.get(), z, res_.get(), active);
      check_launch("k_refine_residual");
      woodbury(res_.get(), z, true, active);
    }
    k_ax<<<grid_for(1LL * d_.B * d_.m), kThreads, 0, stream_>>>(d_, row_ptr_.get(), col_idx_.get(), csr_.get(), z,
                                                                d_.L, f + d_.n, ry, d_.L, z + d_.n, d_.L, active);
    check_launch("k_ax");
  }

  void setup() {
    // g = M0^{-1} h, h = (c, b): assemble h in f (tau slot 0), then hg = h^T g; then f = R w.
    check(cudaMemsetAsync(f_.get(), 0, f_.size() * sizeof(double), stream_), "memset");
    check(cudaMemcpy2DAsync(f_.get(), d_.L * sizeof(double), c_.get(), d_.n * sizeof(double), d_.n * sizeof(double),
                            d_.B, cudaMemcpyDeviceToDevice, stream_), "copy c");
    check(cudaMemcpy2DAsync(f_.get() + d_.n, d_.L * sizeof(double), b_.get(), d_.m * sizeof(double),
                            d_.m * sizeof(double), d_.B, cudaMemcpyDeviceToDevice, stream_), "copy b");
    solve_m(f_.get(), g_.get(), nullptr);
    k_hg<<<warp_grid(d_.B), kBlockThreads, 0, stream_>>>(d_, c_.get(), b_.get(), g_.get(), hg_.get(), nullptr);
    check_launch("k_hg");
    k_scale<<<grid_for(1LL * d_.B * d_.L), kThreads, 0, stream_>>>(d_, r_.get(), w_.get(), f_.get());
    check_launch("k_scale");
  }

  // One iteration; `step` is its position in the current chunk (Anderson's schedule needs the index).
  void iteration(int step) {
    const int* act = active_.get();
    solve_m(f_.get(), z_.get(), act);
    k_tau_project<<<warp_grid(d_.B), kBlockThreads, 0, stream_>>>(d_, cones_, c_.get(), b_.get(), g_.get(), hg_.get(), r_.get(),
                                                       z_.get(), w_.get(), u_.get(), ut_.get(), act);
    check_launch("k_tau_project");
    if (cones_.exp_primal + cones_.exp_dual > 0) {
      const int per = cones_.exp_primal + cones_.exp_dual;
      k_exp_project<<<static_cast<unsigned>((1LL * d_.B * per + 127) / 128), 128, 0, stream_>>>(d_, cones_, u_.get(),
                                                                                                 act);
      check_launch("k_exp_project");
    }
    for (const auto& grp : h_.layout.psd) {
      PsdGroup shifted = grp;
      shifted.offset += d_.n;  // blocks sit in the y part of u
      psd_->project(shifted, d_.B, u_.get(), d_.L, act, prm_.eig, counters_.get() + 2);
    }
    k_update<<<grid_for(1LL * d_.B * d_.L), kThreads, 0, stream_>>>(d_, r_.get(), prm_.alpha, u_.get(), ut_.get(),
                                                                    w_.get(), v_.get(), f_.get(), act);
    check_launch("k_update");
    if (prm_.anderson_memory > 0) {
      k_anderson<<<warp_grid(d_.B), kBlockThreads, 0, stream_>>>(d_, aa_, step, counters_.get(), r_.get(), u_.get(),
                                                                 ut_.get(), w_.get(), f_.get(), act);
      check_launch("k_anderson");
    }
  }

  // `count` iterations followed by a termination check.
  void chunk(int count) {
    for (int i = 0; i < count; ++i) iteration(i);
    k_advance<<<1, 1, 0, stream_>>>(counters_.get(), count, counters_.get() + 1, counters_.get() + 3);
    check_launch("k_advance");
    const int* act = active_.get();
    k_ax<<<grid_for(1LL * d_.B * d_.m), kThreads, 0, stream_>>>(d_, row_ptr_.get(), col_idx_.get(), csr_.get(),
                                                                u_.get(), d_.L, nullptr, nullptr, 0, ax_.get(), d_.m, act);
    check_launch("k_ax check");
    k_at<<<grid_for(1LL * d_.B * d_.n), kThreads, 0, stream_>>>(d_, col_ptr_.get(), row_idx_.get(), csc_.get(),
                                                                u_.get() + d_.n, d_.L, nullptr, nullptr, 0, aty_.get(),
                                                                d_.n, 1.0, act);
    check_launch("k_at check");
    const Tolerances tol{prm_.eps_abs, prm_.eps_rel, prm_.eps_infeas, prm_.norm_cap};
    k_check<<<warp_grid(d_.B), kBlockThreads, 0, stream_>>>(d_, tol, c_.get(), b_.get(), dinv_rows_.get(), einv_cols_.get(),
                                                 sigma_.get(), u_.get(), v_.get(), ax_.get(), aty_.get(),
                                                 counters_.get() + 2, counters_.get(), active_.get(), code_.get(),
                                                 iters_.get(), counters_.get() + 1,
                                                 ScaleArgs{prm_.adaptive_scale ? 1 : 0, prm_.scale_rule,
                                                           scale_state_.get(),
                                                           rescale_.get(), counters_.get() + 3});
    check_launch("k_check");
  }

  // After a check that flagged instances (rescale_): their new metric and Woodbury factors from the host
  // (the same code as prepare_batch), uploaded packed and scattered into the buffers the graph reads (in
  // place), then on the device g = M0^-1 h, h.g and w = u + R^-1 v for those instances only.
  void rescale() {
    std::vector<int> flag(d_.B);
    std::vector<kernels::AdaptiveScale> state(d_.B);
    rescale_.download(flag.data(), flag.size());
    scale_state_.download(state.data(), state.size());
    std::vector<int> slots;
    std::vector<double> scales;
    for (int b = 0; b < d_.B; ++b)
      if (flag[b]) {
        slots.push_back(b);
        scales.push_back(state[b].scale);
      }
    if (slots.empty()) return;
    const Refactored fac = refactor_slots(h_, prm_.rho_x, slots, scales);
    const int count = static_cast<int>(slots.size());
    for (int k = 0; k < count; ++k) scale_updates_[slots[k]] += fac.ok[k];
    stage(stage_slots_, slots);
    stage(stage_ok_, fac.ok);
    auto scatter = [&](DeviceBuffer<double>& staged, const std::vector<double>& rows, long long len, double* dst) {
      if (len == 0) return;
      stage(staged, rows);
      k_scatter<<<grid_for(count * len), kThreads, 0, stream_>>>(count, stage_slots_.get(), staged.get(), len, dst);
      check_launch("k_scatter");
    };
    scatter(stage_r_, fac.r, d_.L, r_.get());
    scatter(stage_dinv_, fac.dinv, d_.n, dinv_.get());
    scatter(stage_chol_, fac.chol, 1LL * d_.p * d_.p, chol_.get());
    k_refactor_failed<<<grid_for(count), kThreads, 0, stream_>>>(count, stage_slots_.get(), stage_ok_.get(),
                                                                 counters_.get(), rescale_.get(), active_.get(),
                                                                 code_.get(), iters_.get());
    check_launch("k_refactor_failed");
    const unsigned grid_bl = grid_for(1LL * d_.B * d_.L);
    k_load_h<<<grid_bl, kThreads, 0, stream_>>>(d_, c_.get(), b_.get(), f_.get(), rescale_.get());
    check_launch("k_load_h");
    solve_m(f_.get(), g_.get(), rescale_.get());
    k_hg<<<warp_grid(d_.B), kBlockThreads, 0, stream_>>>(d_, c_.get(), b_.get(), g_.get(), hg_.get(), rescale_.get());
    check_launch("k_hg rescale");
    k_reexpress<<<grid_bl, kThreads, 0, stream_>>>(d_, r_.get(), u_.get(), v_.get(), w_.get(), f_.get(), rescale_.get());
    check_launch("k_reexpress");
    if (prm_.anderson_memory > 0) {
      k_anderson_restart<<<grid_for(d_.B), kThreads, 0, stream_>>>(d_.B, rescale_.get(), aa_state_.get());
      check_launch("k_anderson_restart");
    }
    check(cudaMemsetAsync(rescale_.get(), 0, rescale_.size() * sizeof(int), stream_), "clear rescale flags");
    check(cudaStreamSynchronize(stream_), "rescale");
  }

  // Host data into a grow-only staging buffer on the stream (outside the graph: it may be reallocated).
  // The host vectors must live until the stream is synchronised (rescale() ends with a synchronisation).
  template <typename T>
  void stage(DeviceBuffer<T>& buf, const std::vector<T>& host) {
    if (buf.size() < host.size()) buf.resize(host.size());
    if (!host.empty())
      check(cudaMemcpyAsync(buf.get(), host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice, stream_),
            "stage H2D");
  }

  void capture(int count) {
    cudaGraph_t graph;
    check(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    chunk(count);
    check(cudaStreamEndCapture(stream_, &graph), "cudaStreamEndCapture");
    check(cudaGraphInstantiate(&graph_exec_, graph, 0), "cudaGraphInstantiate");
    cudaGraphDestroy(graph);
  }

  const AdmmHostData& h_;
  AdmmParams prm_;
  Dims d_{};
  cudaStream_t stream_ = nullptr;
  cudaGraphExec_t graph_exec_ = nullptr;
  std::unique_ptr<PsdEngine> psd_;
  ConeArgs cones_{};
  DeviceBuffer<int> row_ptr_, col_idx_, col_ptr_, row_idx_, multi_, rt_ptr_, rt_k_, rt_pos_, soc_sizes_, soc_off_;
  DeviceBuffer<double> csr_, csc_, dinv_, chol_, b_, c_, r_, dinv_rows_, einv_cols_, sigma_;
  DeviceBuffer<double> u_, v_, w_, f_, ut_, z_, g_, rx_, aty_, ax_, tv_, qv_, hg_, az_, res_;
  DeviceBuffer<int> active_, code_, iters_, counters_, rescale_;
  std::size_t free_at_end_ = 0;
  DeviceBuffer<kernels::AdaptiveScale> scale_state_;
  DeviceBuffer<int> stage_slots_, stage_ok_;
  DeviceBuffer<double> stage_r_, stage_dinv_, stage_chol_;
  AaArgs aa_{};  // Anderson (prm_.anderson_memory > 0)
  DeviceBuffer<double> aa_S_, aa_Y_, aa_w_prev_, aa_f_prev_, aa_tw_saved_, aa_gram_, aa_work_;
  DeviceBuffer<kernels::AndersonState> aa_state_;
  std::vector<int> scale_updates_;  // per instance, counted on the host (successful refactorisations)
};

}  // namespace

AdmmResult solve_admm_batched(const AdmmHostData& data, const AdmmParams& params) {
  if (data.batch < 1) return {};
  std::size_t free_before = 0, total_bytes = 0;
  check(cudaMemGetInfo(&free_before, &total_bytes), "cudaMemGetInfo");
  const auto t0 = std::chrono::steady_clock::now();  // device set-up counts from the allocations on
  Driver driver(data, params);
  AdmmResult res = driver.run(t0);
  res.device_bytes = static_cast<double>(free_before) - static_cast<double>(driver.free_at_end());
  return res;
}

}  // namespace isacbf::gpu
