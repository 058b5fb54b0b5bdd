#pragma once
// The per-instance Woodbury factors of the GPU's x-system (rho_x I + A^T diag(1/r_y) A), from one
// instance's CSR values and metric diagonal r: used by prepare_batch (every instance) and by the device
// loop when the adaptive scale changes some instances' r (only those are refactored and uploaded).
// Plain C++17 interface (no Eigen) so that admm_batched.cu can call it; implemented with Eigen in
// woodbury_factor.cpp, which also builds without CUDA.
#include <vector>

#include "cuda/admm_batched.hpp"

namespace isacbf::gpu {

// dinv (n) = 1 / (rho_x + sum over single-entry rows i of column j of a^2 / r_i), rho_x = r[0..n);
// chol (p * p, column-major, lower triangle) = a Cholesky factor of the capacitance diag(r_R) + R diag(dinv) R^T
// over the rows R with several entries (kernels/cholesky_solve.hpp solves with it).
// Reads the pattern of `h` and the CSR values of slot b. Returns false when the Cholesky factor fails.
bool factor_woodbury(const AdmmHostData& h, int b, const double* r, double* dinv, double* chol);

// New metric and factors of the slots `slots` at scales `scales` (same order), in parallel over
// instances: r (|slots| * L), dinv (|slots| * n), chol (|slots| * p * p), ok (1: factored) packed in that order.
struct Refactored {
  std::vector<double> r, dinv, chol;
  std::vector<int> ok;
};
Refactored refactor_slots(const AdmmHostData& h, double rho_x, const std::vector<int>& slots,
                          const std::vector<double>& scales);

}  // namespace isacbf::gpu
