#pragma once
// The batched Riemannian CG of the HAD analog step on the device, over plain host arrays (C++17; the
// Eigen glue lives in cuda/gpu_manifold_solver.cpp). All instances share one shape; each runs the
// CG of host/model_b/manifold.cpp, with its decisions from kernels/riemannian_cg.hpp, in lockstep:
// every round each running instance does one Armijo trial. The products F B, C^H (F B), C G and
// (C G + 2 w F B) B^H are strided-batched cuBLAS ZGEMMs; cost, probe gradient, tangent projections,
// PR+ update and retraction are per-instance kernels over kernels/riemannian.hpp.
#include <vector>

#include "kernels/riemannian.hpp"
#include "kernels/riemannian_cg.hpp"

namespace isacbf::gpu {

// Host pointers, per-instance contiguous (complex numbers as interleaved pairs, layout of kernels::Cx).
struct ManifoldBatchView {
  kernels::ManifoldDims dims{};
  int batch = 0;
  const kernels::Cx *C = nullptr, *B = nullptr, *beta = nullptr, *F0 = nullptr;
  const double *a = nullptr, *pen_a = nullptr, *kappa = nullptr, *pi = nullptr;
  const double *pen_pi = nullptr, *pen_kappa = nullptr, *mu = nullptr;
};

struct ManifoldBatchOutput {
  std::vector<kernels::Cx> F;          // batch * Nt * N_RF
  std::vector<double> trace;           // batch * (max_iterations + 1): cost at start and after each accepted step
  std::vector<int> iterations;         // batch
  int rounds = 0;                      // lockstep rounds (one Armijo trial per running instance each)
  double seconds = 0.0;                // device time of the loop, upload and download included
};

ManifoldBatchOutput minimise_manifold_batched(const ManifoldBatchView& view, const kernels::CgOptions& options);

}  // namespace isacbf::gpu
