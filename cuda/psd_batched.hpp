#pragma once
// Batched Hermitian eigendecompositions and PSD-cone projections on the device (C++17 host API).
// Matrices are full, column-major, complex interleaved (re, im) doubles. PSD blocks inside solver
// vectors use the vectorisations of host/conic/problem.hpp: "hvec" (complex, n*n reals) or
// "svec" (real symmetric, n(n+1)/2 reals).
#include <cuda_runtime.h>

#include <memory>

#include "cuda/psd_types.hpp"

namespace isacbf::gpu {

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
