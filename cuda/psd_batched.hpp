#pragma once
// Batched Hermitian eigendecompositions and PSD-cone projections on the device (C++17 host API).
// Matrices are full, column-major, complex interleaved (re, im) doubles. PSD blocks inside solver
// vectors use the vectorisations of host/conic/problem.hpp: "hvec" (complex, n*n reals) or
// "svec" (real symmetric, n(n+1)/2 reals).
#include <cuda_runtime.h>

#include <memory>

namespace isacbf::gpu {

enum class EigMethod { automatic, jacobi, cusolver };
const char* to_string(EigMethod method);

// Largest order our own Jacobi kernels take (one thread per matrix up to 4, one warp up to 32).
inline constexpr int kJacobiMaxOrder = 32;
// EigMethod::automatic picks Jacobi up to this order and cuSOLVER above: on the H100 the warp Jacobi
// beat cusolverDnXsyevBatched at n = 8 (0.030 vs 0.080 us per matrix) and lost at n = 16 (0.47 vs 0.31).
inline constexpr int kJacobiAutoOrder = 12;

// A group of same-size PSD blocks in each of `batch` vectors: block j of vector b starts at
// x + b * stride + offset + j * block_len, block_len = n*n (complex) or n(n+1)/2 (real).
struct PsdGroup {
  int n = 0;
  int blocks = 1;
  bool complex = true;
  long long offset = 0;
};

class PsdEngine {
 public:
  explicit PsdEngine(cudaStream_t stream = nullptr);
  ~PsdEngine();
  PsdEngine(const PsdEngine&) = delete;
  PsdEngine& operator=(const PsdEngine&) = delete;

  // Eigenvalues ascending (n per matrix) and eigenvectors (columns) of `batch` Hermitian matrices.
  void eig(int n, int batch, const double* a, double* w, double* v, EigMethod method);

  // In-place projection onto the PSD cone: rebuilt from the positive eigenpairs only. Vectors with
  // active != nullptr && active[b] == 0 are left untouched. A failed cuSOLVER call (info != 0) sets
  // *error_flag = 1 on the device (checked by the caller at its own pace, so nothing syncs here).
  void project(const PsdGroup& group, int batch, double* x, long long stride, const int* active,
               EigMethod method, int* error_flag);

  cudaStream_t stream() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace isacbf::gpu
