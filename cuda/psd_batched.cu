// Batched Hermitian eigendecompositions and PSD projections: our Jacobi kernels (n <= 32) and a
// chunked cusolverDnXsyevBatched path for any n. See psd_batched.hpp.
#include <cuComplex.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cuda/check.hpp"
#include "cuda/jacobi.cuh"
#include "cuda/psd_batched.hpp"

namespace isacbf::gpu {

const char* to_string(EigMethod method) {
  switch (method) {
    case EigMethod::automatic: return "auto";
    case EigMethod::jacobi: return "jacobi";
    case EigMethod::cusolver: return "cusolver";
  }
  return "auto";
}

namespace {
using namespace detail;
constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kInvSqrt2 = 0.7071067811865476;

// Position of X_ij (i >= j) inside a vectorised block; for complex blocks the imaginary part follows.
__device__ inline long long vec_pos(int n, bool cplx, int i, int j) {
  if (cplx) {
    const long long start = 2LL * n * j - 1LL * j * j;
    return i == j ? start : start + 1 + 2LL * (i - j - 1);
  }
  const long long start = 1LL * n * j - 1LL * j * (j - 1) / 2;
  return start + (i - j);
}

struct GroupArgs {
  int n, blocks, batch;
  bool cplx;
  long long offset, stride, block_len;
  __device__ double* block(double* x, long long g) const {
    return x + (g / blocks) * stride + offset + (g % blocks) * block_len;
  }
  __device__ bool skip(const int* active, long long g) const { return active && !active[g / blocks]; }
};

GroupArgs make_args(const PsdGroup& group, int batch, long long stride) {
  GroupArgs a{group.n, group.blocks, batch, group.complex, group.offset, stride, 0};
  a.block_len = group.complex ? 1LL * group.n * group.n : 1LL * group.n * (group.n + 1) / 2;
  return a;
}

// ---- one matrix per thread (n <= 4) ----------------------------------------------------------------
template <int N>
__global__ void eig_thread_kernel(int batch, const double* a, double* w, double* v) {
  const long long g = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (g >= batch) return;
  double ar[N][N], ai[N][N], vr[N][N], vi[N][N];
  const double* src = a + g * 2 * N * N;
#pragma unroll
  for (int j = 0; j < N; ++j)
#pragma unroll
    for (int i = 0; i < N; ++i) { ar[i][j] = src[2 * (j * N + i)]; ai[i][j] = src[2 * (j * N + i) + 1]; }
  jacobi_thread<N>(ar, ai, vr, vi);
#pragma unroll
  for (int k = 0; k < N; ++k) {  // ascending order: rank of each eigenvalue (ties by index)
    int rank = 0;
#pragma unroll
    for (int l = 0; l < N; ++l) rank += (ar[l][l] < ar[k][k]) || (ar[l][l] == ar[k][k] && l < k);
    w[g * N + rank] = ar[k][k];
#pragma unroll
    for (int i = 0; i < N; ++i) {
      v[g * 2 * N * N + 2 * (rank * N + i)] = vr[i][k];
      v[g * 2 * N * N + 2 * (rank * N + i) + 1] = vi[i][k];
    }
  }
}

template <int N>
__global__ void project_thread_kernel(GroupArgs args, double* x, const int* active) {
  const long long g = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (g >= 1LL * args.batch * args.blocks || args.skip(active, g)) return;
  double* blk = args.block(x, g);
  double ar[N][N], ai[N][N], vr[N][N], vi[N][N];
#pragma unroll
  for (int j = 0; j < N; ++j) {
    ar[j][j] = blk[vec_pos(N, args.cplx, j, j)];
    ai[j][j] = 0.0;
#pragma unroll
    for (int i = j + 1; i < N; ++i) {
      const long long p = vec_pos(N, args.cplx, i, j);
      ar[i][j] = ar[j][i] = blk[p] * kInvSqrt2;
      const double im = args.cplx ? blk[p + 1] * kInvSqrt2 : 0.0;
      ai[i][j] = im;
      ai[j][i] = -im;
    }
  }
  jacobi_thread<N>(ar, ai, vr, vi);
  double lam[N];
#pragma unroll
  for (int k = 0; k < N; ++k) lam[k] = fmax(ar[k][k], 0.0);
#pragma unroll
  for (int j = 0; j < N; ++j)
#pragma unroll
    for (int i = j; i < N; ++i) {
      double re = 0.0, im = 0.0;  // sum_k lam_k v_ik conj(v_jk)
#pragma unroll
      for (int k = 0; k < N; ++k) {
        re += lam[k] * (vr[i][k] * vr[j][k] + vi[i][k] * vi[j][k]);
        im += lam[k] * (vi[i][k] * vr[j][k] - vr[i][k] * vi[j][k]);
      }
      const long long p = vec_pos(N, args.cplx, i, j);
      if (i == j) {
        blk[p] = re;
      } else {
        blk[p] = kSqrt2 * re;
        if (args.cplx) blk[p + 1] = kSqrt2 * im;
      }
    }
}

// ---- one matrix per warp (n <= 32) -----------------------------------------------------------------
__device__ inline WarpMats carve(int n, char* base) {
  const int ne = n + (n & 1);
  WarpMats m;
  double* d = reinterpret_cast<double*>(base);
  m.ar = d; m.ai = d + n * n; m.vr = d + 2 * n * n; m.vi = d + 3 * n * n;
  m.rot = reinterpret_cast<Rot*>(d + 4 * n * n);
  m.pair = reinterpret_cast<int*>(m.rot + ne / 2);
  return m;
}

size_t warp_bytes(int n) {
  const int ne = n + (n & 1);
  const size_t b = sizeof(double) * 4 * n * n + sizeof(Rot) * (ne / 2) + sizeof(int) * ne;
  return (b + 15) / 16 * 16;
}
int warps_per_block(int n) { return n <= 8 ? 8 : n <= 16 ? 4 : 1; }

__global__ void eig_warp_kernel(int n, int batch, const double* a, double* w, double* v, size_t bytes) {
  extern __shared__ __align__(16) char smem[];
  const int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
  const long long g = blockIdx.x * 1LL * (blockDim.x / 32) + warp;
  if (g >= batch) return;  // whole warp leaves together
  WarpMats m = carve(n, smem + warp * bytes);
  const double* src = a + g * 2 * n * n;
  for (int t = lane; t < n * n; t += 32) { m.ar[t] = src[2 * t]; m.ai[t] = src[2 * t + 1]; }
  __syncwarp();
  jacobi_warp(n, m);
  __syncwarp();
  for (int k = lane; k < n; k += 32) {
    const double lk = m.ar[k * n + k];
    int rank = 0;
    for (int l = 0; l < n; ++l) {
      const double ll = m.ar[l * n + l];
      rank += (ll < lk) || (ll == lk && l < k);
    }
    w[g * n + rank] = lk;
    for (int i = 0; i < n; ++i) {
      v[g * 2 * n * n + 2 * (rank * n + i)] = m.vr[k * n + i];
      v[g * 2 * n * n + 2 * (rank * n + i) + 1] = m.vi[k * n + i];
    }
  }
}

__global__ void project_warp_kernel(GroupArgs args, double* x, const int* active, size_t bytes) {
  extern __shared__ __align__(16) char smem[];
  const int n = args.n;
  const int warp = threadIdx.x / 32, lane = threadIdx.x & 31;
  const long long g = blockIdx.x * 1LL * (blockDim.x / 32) + warp;
  if (g >= 1LL * args.batch * args.blocks || args.skip(active, g)) return;
  WarpMats m = carve(n, smem + warp * bytes);
  double* blk = args.block(x, g);
  for (int t = lane; t < n * n; t += 32) {
    const int i = t % n, j = t / n;  // fill the full matrix from the lower triangle
    const int r = i >= j ? i : j, c = i >= j ? j : i;
    const long long p = vec_pos(n, args.cplx, r, c);
    if (r == c) {
      m.ar[t] = blk[p]; m.ai[t] = 0.0;
    } else {
      m.ar[t] = blk[p] * kInvSqrt2;
      const double im = args.cplx ? blk[p + 1] * kInvSqrt2 : 0.0;
      m.ai[t] = i > j ? im : -im;
    }
  }
  __syncwarp();
  jacobi_warp(n, m);
  __syncwarp();
  for (int t = lane; t < n * n; t += 32) {
    const int i = t % n, j = t / n;
    if (i < j) continue;
    double re = 0.0, im = 0.0;
    for (int k = 0; k < n; ++k) {
      const double l = m.ar[k * n + k];
      if (l <= 0.0) continue;  // positive part only
      const double vik_r = m.vr[k * n + i], vik_i = m.vi[k * n + i];
      const double vjk_r = m.vr[k * n + j], vjk_i = m.vi[k * n + j];
      re += l * (vik_r * vjk_r + vik_i * vjk_i);
      im += l * (vik_i * vjk_r - vik_r * vjk_i);
    }
    const long long p = vec_pos(n, args.cplx, i, j);
    if (i == j) {
      blk[p] = re;
    } else {
      blk[p] = kSqrt2 * re;
      if (args.cplx) blk[p + 1] = kSqrt2 * im;
    }
  }
}

// ---- cuSOLVER path helpers -------------------------------------------------------------------------
__global__ void pack_kernel(GroupArgs args, const double* x, long long first, long long count, cuDoubleComplex* mats) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  const int n = args.n;
  if (t >= count * n * n) return;
  const long long g = first + t / (n * n);
  const int e = static_cast<int>(t % (n * n)), i = e % n, j = e / n;
  if (i < j) return;  // cuSOLVER reads the lower triangle only
  const double* blk = args.block(const_cast<double*>(x), g);
  const long long p = vec_pos(n, args.cplx, i, j);
  const double re = i == j ? blk[p] : blk[p] * kInvSqrt2;
  const double im = (i == j || !args.cplx) ? 0.0 : blk[p + 1] * kInvSqrt2;
  mats[t] = make_cuDoubleComplex(re, im);
}

__global__ void rebuild_kernel(GroupArgs args, double* x, const int* active, long long first, long long count,
                               const cuDoubleComplex* vecs, const double* w) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  const int n = args.n;
  if (t >= count * n * n) return;
  const long long local = t / (n * n), g = first + local;
  const int e = static_cast<int>(t % (n * n)), i = e % n, j = e / n;
  if (i < j || args.skip(active, g)) return;
  const cuDoubleComplex* V = vecs + local * n * n;
  const double* lam = w + local * n;
  double re = 0.0, im = 0.0;
  for (int k = n - 1; k >= 0 && lam[k] > 0.0; --k) {  // ascending: positive ones are at the end
    const cuDoubleComplex a = V[k * n + i], b = V[k * n + j];
    re += lam[k] * (a.x * b.x + a.y * b.y);
    im += lam[k] * (a.y * b.x - a.x * b.y);
  }
  double* blk = args.block(x, g);
  const long long p = vec_pos(n, args.cplx, i, j);
  if (i == j) {
    blk[p] = re;
  } else {
    blk[p] = kSqrt2 * re;
    if (args.cplx) blk[p + 1] = kSqrt2 * im;
  }
}

__global__ void info_flag_kernel(const int* info, long long count, int* flag) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t < count && info[t] != 0) *flag = 1;
}

__global__ void split_kernel(const cuDoubleComplex* v, long long count, double* out) {
  const long long t = blockIdx.x * 1LL * blockDim.x + threadIdx.x;
  if (t < count) { out[2 * t] = v[t].x; out[2 * t + 1] = v[t].y; }
}

unsigned blocks_for(long long items, int threads) { return static_cast<unsigned>((items + threads - 1) / threads); }

}  // namespace

struct PsdEngine::Impl {
  cudaStream_t stream = nullptr;
  cusolverDnHandle_t handle = nullptr;
  cusolverDnParams_t params = nullptr;
  DeviceBuffer<cuDoubleComplex> mats;
  DeviceBuffer<double> w;
  DeviceBuffer<char> work;
  std::vector<char> host_work;
  DeviceBuffer<int> info;
  DeviceBuffer<int> scratch_flag;

  void ensure_handle() {
    if (handle) return;
    check(cusolverDnCreate(&handle), "cusolverDnCreate");
    check(cusolverDnSetStream(handle, stream), "cusolverDnSetStream");
    check(cusolverDnCreateParams(&params), "cusolverDnCreateParams");
  }
  // Matrices per cusolverDnXsyevBatched call: the library failed at 65,536 4x4 (solver.md); also bound memory.
  static long long chunk_for(int n) {
    const long long by_memory = (256LL << 20) / (16LL * n * n);
    return std::max(1LL, std::min(16384LL, by_memory));
  }
  // Eigen-decomposes mats[0..count) in place (vectors overwrite the matrices), eigenvalues into w.
  void syev(int n, long long count, int* flag) {
    ensure_handle();
    size_t dev_bytes = 0, host_bytes = 0;
    check(cusolverDnXsyevBatched_bufferSize(handle, params, CUSOLVER_EIG_MODE_VECTOR, CUBLAS_FILL_MODE_LOWER, n,
                                            CUDA_C_64F, mats.get(), n, CUDA_R_64F, w.get(), CUDA_C_64F, &dev_bytes,
                                            &host_bytes, count),
          "cusolverDnXsyevBatched_bufferSize");
    if (work.size() < dev_bytes) work.resize(dev_bytes);
    if (host_work.size() < host_bytes) host_work.resize(host_bytes);
    if (info.size() < static_cast<size_t>(count)) info.resize(count);
    check(cusolverDnXsyevBatched(handle, params, CUSOLVER_EIG_MODE_VECTOR, CUBLAS_FILL_MODE_LOWER, n, CUDA_C_64F,
                                 mats.get(), n, CUDA_R_64F, w.get(), CUDA_C_64F, work.get(), dev_bytes,
                                 host_work.data(), host_bytes, info.get(), count),
          "cusolverDnXsyevBatched");
    info_flag_kernel<<<blocks_for(count, 256), 256, 0, stream>>>(info.get(), count, flag);
    check_launch("info_flag_kernel");
  }
  ~Impl() {
    if (params) cusolverDnDestroyParams(params);
    if (handle) cusolverDnDestroy(handle);
  }
};

PsdEngine::PsdEngine(cudaStream_t stream) : impl_(std::make_unique<Impl>()) {
  impl_->stream = stream;
  impl_->scratch_flag.resize(1);
  check(cudaMemsetAsync(impl_->scratch_flag.get(), 0, sizeof(int), stream), "cudaMemsetAsync");
}
PsdEngine::~PsdEngine() = default;
cudaStream_t PsdEngine::stream() const { return impl_->stream; }

void PsdEngine::eig(int n, int batch, const double* a, double* w, double* v, EigMethod method) {
  if (n < 1 || batch < 0) throw CudaError("PsdEngine::eig: bad size n=" + std::to_string(n));
  if (batch == 0) return;
  if (method == EigMethod::automatic) method = n <= kJacobiAutoOrder ? EigMethod::jacobi : EigMethod::cusolver;
  cudaStream_t s = impl_->stream;
  if (method == EigMethod::jacobi) {
    if (n > kJacobiMaxOrder) throw CudaError("PsdEngine::eig: Jacobi kernels take n <= 32");
    const int threads = 64;  // small blocks: moderate batches still spread over every SM
    switch (n) {
      case 1: eig_thread_kernel<1><<<blocks_for(batch, threads), threads, 0, s>>>(batch, a, w, v); break;
      case 2: eig_thread_kernel<2><<<blocks_for(batch, threads), threads, 0, s>>>(batch, a, w, v); break;
      case 3: eig_thread_kernel<3><<<blocks_for(batch, threads), threads, 0, s>>>(batch, a, w, v); break;
      case 4: eig_thread_kernel<4><<<blocks_for(batch, threads), threads, 0, s>>>(batch, a, w, v); break;
      default: {
        const size_t bytes = warp_bytes(n);
        const int wpb = warps_per_block(n);
        eig_warp_kernel<<<blocks_for(batch, wpb), 32 * wpb, wpb * bytes, s>>>(n, batch, a, w, v, bytes);
      }
    }
    check_launch("eig jacobi kernel");
    return;
  }
  // cuSOLVER: copy into the work matrices chunk by chunk, then split complex vectors out.
  const long long chunk = Impl::chunk_for(n);
  impl_->mats.resize(static_cast<size_t>(std::min<long long>(chunk, batch)) * n * n);
  impl_->w.resize(static_cast<size_t>(std::min<long long>(chunk, batch)) * n);
  for (long long first = 0; first < batch; first += chunk) {
    const long long count = std::min<long long>(chunk, batch - first);
    check(cudaMemcpyAsync(impl_->mats.get(), a + first * 2 * n * n, count * n * n * 16, cudaMemcpyDeviceToDevice, s),
          "cudaMemcpyAsync");
    impl_->syev(n, count, impl_->scratch_flag.get());
    check(cudaMemcpyAsync(w + first * n, impl_->w.get(), count * n * 8, cudaMemcpyDeviceToDevice, s), "cudaMemcpyAsync");
    split_kernel<<<blocks_for(count * n * n, 256), 256, 0, s>>>(impl_->mats.get(), count * n * n, v + first * 2 * n * n);
    check_launch("split_kernel");
  }
  int flag = 0;
  check(cudaMemcpyAsync(&flag, impl_->scratch_flag.get(), sizeof(int), cudaMemcpyDeviceToHost, s), "cudaMemcpyAsync");
  check(cudaStreamSynchronize(s), "cudaStreamSynchronize");
  if (flag) throw CudaError("cusolverDnXsyevBatched reported info != 0 for n=" + std::to_string(n));
}

void PsdEngine::project(const PsdGroup& group, int batch, double* x, long long stride, const int* active,
                        EigMethod method, int* error_flag) {
  const int n = group.n;
  if (n < 1 || group.blocks < 1) throw CudaError("PsdEngine::project: bad group n=" + std::to_string(n));
  if (batch == 0) return;
  if (method == EigMethod::automatic) method = n <= kJacobiAutoOrder ? EigMethod::jacobi : EigMethod::cusolver;
  const GroupArgs args = make_args(group, batch, stride);
  const long long total = 1LL * batch * group.blocks;
  cudaStream_t s = impl_->stream;
  if (method == EigMethod::jacobi) {
    if (n > kJacobiMaxOrder) throw CudaError("PsdEngine::project: Jacobi kernels take n <= 32");
    const int threads = 64;
    switch (n) {
      case 1: project_thread_kernel<1><<<blocks_for(total, threads), threads, 0, s>>>(args, x, active); break;
      case 2: project_thread_kernel<2><<<blocks_for(total, threads), threads, 0, s>>>(args, x, active); break;
      case 3: project_thread_kernel<3><<<blocks_for(total, threads), threads, 0, s>>>(args, x, active); break;
      case 4: project_thread_kernel<4><<<blocks_for(total, threads), threads, 0, s>>>(args, x, active); break;
      default: {
        const size_t bytes = warp_bytes(n);
        const int wpb = warps_per_block(n);
        project_warp_kernel<<<blocks_for(total, wpb), 32 * wpb, wpb * bytes, s>>>(args, x, active, bytes);
      }
    }
    check_launch("project jacobi kernel");
    return;
  }
  const long long chunk = Impl::chunk_for(n);
  impl_->mats.resize(static_cast<size_t>(std::min(chunk, total)) * n * n);
  impl_->w.resize(static_cast<size_t>(std::min(chunk, total)) * n);
  for (long long first = 0; first < total; first += chunk) {
    const long long count = std::min(chunk, total - first);
    pack_kernel<<<blocks_for(count * n * n, 256), 256, 0, s>>>(args, x, first, count, impl_->mats.get());
    check_launch("pack_kernel");
    impl_->syev(n, count, error_flag ? error_flag : impl_->scratch_flag.get());
    rebuild_kernel<<<blocks_for(count * n * n, 256), 256, 0, s>>>(args, x, active, first, count, impl_->mats.get(),
                                                                  impl_->w.get());
    check_launch("rebuild_kernel");
  }
}

}  // namespace isacbf::gpu
