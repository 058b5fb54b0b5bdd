// Batched Riemannian CG of the HAD analog step (cuda/manifold_batched.hpp). One CUDA block per
// instance for the reductions and decisions, grid-stride loops for the element-wise steps, and
// strided-batched ZGEMMs for the products; the decisions are kernels/riemannian_cg.hpp's, the same
// functions the CPU loop (host/model_b/manifold.cpp) calls.
#include <cublas_v2.h>
#include <cuComplex.h>

#include <algorithm>
#include <chrono>

#include "cuda/check.hpp"
#include "cuda/manifold_batched.hpp"

namespace isacbf::gpu {
namespace {

using kernels::CgOptions;
using kernels::CgScalars;
using kernels::Cx;

constexpr int kThreads = 128;  // per block; a multiple of 32 (block_sum)

// Sum over the block, the same value returned to every thread (fixed order: deterministic).
__device__ double block_sum(double v) {
  __shared__ double partial[kThreads / 32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  __syncthreads();  // the previous call's readers are done with `partial`
  if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = v;
  __syncthreads();
  double s = 0.0;
  for (int w = 0; w < kThreads / 32; ++w) s += partial[w];
  return s;
}

// Device pointers of the batch (per-instance contiguous) and of the work arrays.
struct Batch {
  kernels::ManifoldDims d;
  int batch;
  const Cx *C, *B, *beta;
  const double *a, *pen_a, *kappa, *pi, *pen_pi, *pen_kappa, *mu;
  Cx *F, *F_new, *grad, *dir, *egrad, *FB, *M, *G, *CG;
  double *f_new, *power, *w, *trace;
  CgScalars* s;
  int trace_len;   // max_iterations + 1
  double* slopes;  // batch * num_penalties: d(mu_c max(0, p_c)^2)/dp_c at the last cost evaluation
};

__device__ long n_of(const Batch& b) { return static_cast<long>(b.d.Nt) * b.d.N_RF; }

__device__ kernels::ManifoldCost cost_of(const Batch& b, int i) {
  const long pl = static_cast<long>(b.d.P) * b.d.L, np = b.d.num_penalties;
  return {b.a + i * pl, b.beta + i * pl, b.kappa[i], b.pi[i], b.pen_a + i * np * pl, b.pen_pi + i * np, b.pen_kappa + i * np, b.mu + i * np};
}

// F_new = F0 / |F0| element-wise (the CPU's retract(F0, 0, 0)).
__global__ void k_normalise(Batch b, const Cx* F0) {
  const long total = n_of(b) * b.batch;
  for (long e = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; e < total; e += static_cast<long>(gridDim.x) * blockDim.x)
    kernels::retract(1, F0 + e, F0 + e, 0.0, b.F_new + e);
}

// Trial points F_new = retract(F, dir, t) of the instances in their Armijo phase.
__global__ void k_retract_trials(Batch b) {
  const long n = n_of(b), total = n * b.batch;
  for (long e = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; e < total; e += static_cast<long>(gridDim.x) * blockDim.x) {
    const CgScalars& s = b.s[e / n];
    if (s.phase == kernels::kCgTrial) kernels::retract(1, b.F + e, b.dir + e, s.t, b.F_new + e);
  }
}

// Cost at F_new (from M = C^H F_new B and ||F_new B||^2) and the slopes of its penalties (kept for the
// gradient at the same point), then the Armijo decision. start: every instance, no decision. The block
// sums the per-entry terms of kernels/riemannian.hpp across its threads.
__global__ void k_cost_and_trial(Batch b, CgOptions o, bool start) {
  const int i = blockIdx.x;
  const int phase = b.s[i].phase;
  if (!start && phase != kernels::kCgTrial) return;
  const long nl = static_cast<long>(b.d.Nt) * b.d.L;
  const int pl = b.d.P * b.d.L, np = b.d.num_penalties;
  const Cx *FB = b.FB + i * nl, *M = b.M + static_cast<long>(i) * pl;
  const kernels::ManifoldCost cost = cost_of(b, i);
  double part = 0.0;
  for (long e = threadIdx.x; e < nl; e += blockDim.x) part += kernels::cx_norm(FB[e]);
  const double power = block_sum(part);
  part = 0.0;
  for (int e = threadIdx.x; e < pl; e += blockDim.x) part += kernels::probe_term(cost, e, M[e]);
  double f = cost.kappa + cost.pi * power + block_sum(part);
  double* slopes = b.slopes + static_cast<long>(i) * np;
  for (int c = 0; c < np; ++c) {
    part = 0.0;
    for (int e = threadIdx.x; e < pl; e += blockDim.x) part += kernels::penalty_term(b.d, cost, c, e, M[e]);
    const double p = cost.pen_kappa[c] + cost.pen_pi[c] * power + block_sum(part);
    if (p > 0) f += cost.mu[c] * p * p;
    if (threadIdx.x == 0) slopes[c] = kernels::penalty_slope(cost, c, p);
  }
  if (threadIdx.x != 0) return;
  b.power[i] = power;
  b.f_new[i] = f;
  if (!start) kernels::cg_trial(b.s[i], f, o);
}

// G = 2 d cost / d conj M and the power weight w at the accepted points (every point at the start), from
// the slopes k_cost_and_trial left for the same point.
__global__ void k_probe_gradient(Batch b, bool start) {
  const int i = blockIdx.x;
  if (!start && b.s[i].phase != kernels::kCgAccepted) return;
  const int pl = b.d.P * b.d.L;
  const kernels::ManifoldCost cost = cost_of(b, i);
  const double* slopes = b.slopes + static_cast<long>(i) * b.d.num_penalties;
  const Cx* M = b.M + static_cast<long>(i) * pl;
  Cx* G = b.G + static_cast<long>(i) * pl;
  for (int e = threadIdx.x; e < pl; e += blockDim.x) G[e] = kernels::gradient_entry(b.d, cost, e, M[e], slopes);
  if (threadIdx.x == 0) b.w[i] = kernels::power_weight(b.d, cost, slopes);
}

// CG += 2 w FB (the power term of the Euclidean gradient, before the product with B^H).
__global__ void k_power_term(Batch b) {
  const long nl = static_cast<long>(b.d.Nt) * b.d.L, total = nl * b.batch;
  for (long e = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; e < total; e += static_cast<long>(gridDim.x) * blockDim.x)
    b.CG[e] = kernels::cx_add(b.CG[e], kernels::cx_scale(b.FB[e], 2.0 * b.w[e / nl]));
}

// start: F = F_new, grad = dir = the Riemannian gradient there, cg_start. Otherwise, for the accepted
// instances: PR+ beta with transported old gradient, dir = grad_new + beta * transported dir, F = F_new.
__global__ void k_accept(Batch b, CgOptions o, bool start) {
  const int i = blockIdx.x;
  const int phase = b.s[i].phase;
  if (!start && phase != kernels::kCgAccepted) return;
  const long n = n_of(b), base = i * n;
  Cx *F = b.F + base, *Fn = b.F_new + base, *grad = b.grad + base, *dir = b.dir + base, *eg = b.egrad + base;
  if (start) {
    double g2 = 0.0;
    for (long e = threadIdx.x; e < n; e += blockDim.x) {
      kernels::riemannian_gradient(1, Fn + e, eg + e, grad + e);
      dir[e] = grad[e];
      F[e] = Fn[e];
      g2 += kernels::cx_norm(grad[e]);
    }
    g2 = block_sum(g2);
    if (threadIdx.x == 0) {
      kernels::cg_start(b.s[i], b.f_new[i], g2);
      b.trace[static_cast<long>(i) * b.trace_len] = b.s[i].f;
    }
    return;
  }
  double num = 0.0;
  for (long e = threadIdx.x; e < n; e += blockDim.x) {
    Cx gn, gt;
    kernels::riemannian_gradient(1, Fn + e, eg + e, &gn);
    kernels::riemannian_gradient(1, Fn + e, grad + e, &gt);
    eg[e] = gn;
    num += kernels::real_inner(1, &gn, &gn) - kernels::real_inner(1, &gn, &gt);
  }
  const double beta = kernels::cg_beta(block_sum(num), b.s[i].g2, o);
  for (long e = threadIdx.x; e < n; e += blockDim.x) {
    Cx dt;
    kernels::riemannian_gradient(1, Fn + e, dir + e, &dt);
    dir[e] = kernels::cx_add(eg[e], kernels::cx_scale(dt, beta));
    grad[e] = eg[e];
    F[e] = Fn[e];
  }
  if (threadIdx.x == 0) {
    CgScalars& s = b.s[i];
    kernels::cg_accept(s, o);
    b.trace[static_cast<long>(i) * b.trace_len + s.iterations] = s.f;
  }
}

// Start of an iteration: g2 = ||grad||^2, slope = Re<grad, dir>, stop / restart / first trial step.
__global__ void k_begin(Batch b, CgOptions o) {
  __shared__ int restart;
  const int i = blockIdx.x;
  if (b.s[i].phase != kernels::kCgBegin) return;
  const long n = n_of(b), base = i * n;
  const Cx *grad = b.grad + base;
  Cx* dir = b.dir + base;
  double g2 = 0.0, slope = 0.0;
  for (long e = threadIdx.x; e < n; e += blockDim.x) {
    g2 += kernels::cx_norm(grad[e]);
    slope += kernels::real_inner(1, grad + e, dir + e);
  }
  g2 = block_sum(g2);
  slope = block_sum(slope);
  if (threadIdx.x == 0) {
    kernels::cg_begin(b.s[i], g2, slope, o);
    restart = b.s[i].restart;
  }
  __syncthreads();
  if (restart)
    for (long e = threadIdx.x; e < n; e += blockDim.x) dir[e] = grad[e];
}

__global__ void k_count_running(const CgScalars* s, int batch, int* running) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < batch && s[i].phase != kernels::kCgDone) atomicAdd(running, 1);
}

int grid_for(long total) { return static_cast<int>(std::min<long>((total + kThreads - 1) / kThreads, 65535L)); }

cublasHandle_t cublas() {
  static cublasHandle_t handle = [] {
    cublasHandle_t h;
    check(cublasCreate(&h), "cublasCreate");
    return h;
  }();  // process lifetime: never destroyed (no teardown-order issues at exit)
  return handle;
}

const cuDoubleComplex kOne = {1.0, 0.0}, kZero = {0.0, 0.0};
cuDoubleComplex* z(Cx* p) { return reinterpret_cast<cuDoubleComplex*>(p); }
const cuDoubleComplex* z(const Cx* p) { return reinterpret_cast<const cuDoubleComplex*>(p); }

// FB = F_new B, M = C^H FB for every instance (M = FB with identity probes).
void products(const Batch& b) {
  const auto& d = b.d;
  check(cublasZgemmStridedBatched(cublas(), CUBLAS_OP_N, CUBLAS_OP_N, d.Nt, d.L, d.N_RF, &kOne, z(b.F_new), d.Nt,
                                  static_cast<long long>(d.Nt) * d.N_RF, z(b.B), d.N_RF, static_cast<long long>(d.N_RF) * d.L, &kZero,
                                  z(b.FB), d.Nt, static_cast<long long>(d.Nt) * d.L, b.batch),
        "cublasZgemmStridedBatched F B");
  if (d.identity_probes) {
    check(cudaMemcpy(b.M, b.FB, sizeof(Cx) * d.Nt * d.L * b.batch, cudaMemcpyDeviceToDevice), "cudaMemcpy M = FB");
    return;
  }
  check(cublasZgemmStridedBatched(cublas(), CUBLAS_OP_C, CUBLAS_OP_N, d.P, d.L, d.Nt, &kOne, z(b.C), d.Nt,
                                  static_cast<long long>(d.Nt) * d.P, z(b.FB), d.Nt, static_cast<long long>(d.Nt) * d.L, &kZero, z(b.M),
                                  d.P, static_cast<long long>(d.P) * d.L, b.batch),
        "cublasZgemmStridedBatched C^H F B");
}

// egrad = (C G + 2 w FB) B^H for every instance (G, w from k_probe_gradient).
void euclidean_gradients(const Batch& b, bool start) {
  const auto& d = b.d;
  k_probe_gradient<<<b.batch, kThreads>>>(b, start);
  check_launch("k_probe_gradient");
  if (d.identity_probes)
    check(cudaMemcpy(b.CG, b.G, sizeof(Cx) * d.Nt * d.L * b.batch, cudaMemcpyDeviceToDevice), "cudaMemcpy CG = G");
  else
    check(cublasZgemmStridedBatched(cublas(), CUBLAS_OP_N, CUBLAS_OP_N, d.Nt, d.L, d.P, &kOne, z(b.C), d.Nt,
                                    static_cast<long long>(d.Nt) * d.P, z(b.G), d.P, static_cast<long long>(d.P) * d.L, &kZero,
                                    z(b.CG), d.Nt, static_cast<long long>(d.Nt) * d.L, b.batch),
          "cublasZgemmStridedBatched C G");
  k_power_term<<<grid_for(static_cast<long>(d.Nt) * d.L * b.batch), kThreads>>>(b);
  check_launch("k_power_term");
  check(cublasZgemmStridedBatched(cublas(), CUBLAS_OP_N, CUBLAS_OP_C, d.Nt, d.N_RF, d.L, &kOne, z(b.CG), d.Nt,
                                  static_cast<long long>(d.Nt) * d.L, z(b.B), d.N_RF, static_cast<long long>(d.N_RF) * d.L, &kZero,
                                  z(b.egrad), d.Nt, static_cast<long long>(d.Nt) * d.N_RF, b.batch),
        "cublasZgemmStridedBatched CG B^H");
}

template <typename T>
DeviceBuffer<T> upload(const T* host, size_t count) {
  DeviceBuffer<T> buf;
  buf.upload(host, count);
  return buf;
}

}  // namespace

ManifoldBatchOutput minimise_manifold_batched(const ManifoldBatchView& v, const CgOptions& o) {
  ManifoldBatchOutput out;
  if (v.batch == 0) return out;
  const auto t0 = std::chrono::steady_clock::now();
  const auto& d = v.dims;
  const size_t B = static_cast<size_t>(v.batch);
  const size_t n = static_cast<size_t>(d.Nt) * d.N_RF, pl = static_cast<size_t>(d.P) * d.L, nl = static_cast<size_t>(d.Nt) * d.L;
  const size_t np = static_cast<size_t>(d.num_penalties);
  auto C = upload(v.C, d.identity_probes ? 0 : B * d.Nt * d.P);
  auto Bm = upload(v.B, B * d.N_RF * d.L);
  auto beta = upload(v.beta, B * pl);
  auto F0 = upload(v.F0, B * n);
  auto a = upload(v.a, B * pl);
  auto pen_a = upload(v.pen_a, B * np * pl);
  auto kappa = upload(v.kappa, B), pi = upload(v.pi, B);
  auto pen_pi = upload(v.pen_pi, B * np), pen_kappa = upload(v.pen_kappa, B * np), mu = upload(v.mu, B * np);
  DeviceBuffer<Cx> F(B * n), F_new(B * n), grad(B * n), dir(B * n), egrad(B * n), FB(B * nl), M(B * pl), G(B * pl), CG(B * nl);
  DeviceBuffer<double> f_new(B), power(B), w(B), trace(B * (o.max_iterations + 1)), slopes(B * np);
  DeviceBuffer<CgScalars> s(B);
  DeviceBuffer<int> running(1);
  check(cudaMemset(w.get(), 0, B * sizeof(double)), "cudaMemset w");
  check(cudaMemset(trace.get(), 0, trace.size() * sizeof(double)), "cudaMemset trace");
  const Batch b{d,          v.batch,     C.get(),     Bm.get(), beta.get(), a.get(),   pen_a.get(), kappa.get(), pi.get(),
                pen_pi.get(), pen_kappa.get(), mu.get(), F.get(),  F_new.get(), grad.get(), dir.get(), egrad.get(), FB.get(),
                M.get(),    G.get(),     CG.get(),    f_new.get(), power.get(), w.get(), trace.get(), s.get(), o.max_iterations + 1,
                slopes.get()};

  // The starting point: on the manifold, its cost and Riemannian gradient.
  k_normalise<<<grid_for(static_cast<long>(B * n)), kThreads>>>(b, F0.get());
  check_launch("k_normalise");
  products(b);
  k_cost_and_trial<<<v.batch, kThreads>>>(b, o, true);
  check_launch("k_cost_and_trial");
  euclidean_gradients(b, true);
  k_accept<<<v.batch, kThreads>>>(b, o, true);
  check_launch("k_accept");

  // Lockstep rounds: each running instance does one Armijo trial per round (at most max_iterations
  // accepted steps of at most kMaxBacktracks trials each, so the guard never binds).
  const long max_rounds = (static_cast<long>(o.max_iterations) + 1) * (kernels::kMaxBacktracks + 1);
  for (long round = 0; round < max_rounds; ++round) {
    k_begin<<<v.batch, kThreads>>>(b, o);
    check_launch("k_begin");
    k_retract_trials<<<grid_for(static_cast<long>(B * n)), kThreads>>>(b);
    check_launch("k_retract_trials");
    products(b);
    k_cost_and_trial<<<v.batch, kThreads>>>(b, o, false);
    check_launch("k_cost_and_trial");
    euclidean_gradients(b, false);
    k_accept<<<v.batch, kThreads>>>(b, o, false);
    check_launch("k_accept");
    ++out.rounds;
    check(cudaMemset(running.get(), 0, sizeof(int)), "cudaMemset running");
    k_count_running<<<(v.batch + kThreads - 1) / kThreads, kThreads>>>(s.get(), v.batch, running.get());
    check_launch("k_count_running");
    int left = 0;
    running.download(&left, 1);
    if (left == 0) break;
  }
  out.F.resize(B * n);
  F.download(out.F.data(), B * n);
  out.trace.resize(trace.size());
  trace.download(out.trace.data(), trace.size());
  std::vector<CgScalars> host_s(B);
  s.download(host_s.data(), B);
  out.iterations.resize(B);
  for (size_t i = 0; i < B; ++i) out.iterations[i] = host_s[i].iterations;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace isacbf::gpu
