#pragma once
// One cone block of the ADMM's dual projection u_y <- P_{K*}(u_y), dispatched by kind, so every
// backend runs the same per-block math (C++17, no allocation). The CPU host walks the blocks of
// host/conic/cone_projector.cpp and calls this for every block except large PSD blocks (Eigen there).
#include "kernels/cones.hpp"
#include "kernels/hd.hpp"
#include "kernels/psd.hpp"

namespace isacbf::kernels {

// Kinds in ConeSpec order. zero = equality rows (dual cone: free).
enum ConeKind : int { kZero = 0, kNonneg = 1, kSoc = 2, kPsdReal = 3, kPsdComplex = 4, kExpPrimal = 5, kExpDual = 6 };

// Scratch needed by project_dual_block for a block of this kind/order (doubles).
ISACBF_HD_INLINE int cone_block_scratch(int kind, int order) {
  if (kind == kPsdReal) return psd_real_scratch(order);
  if (kind == kPsdComplex) return psd_herm_scratch(order);
  return 0;
}

// y (length size) <- its projection onto the dual of the block's cone. order = matrix order for PSD
// blocks (size = svec/hvec length), otherwise = size. Returns Jacobi sweeps for PSD blocks, else 0.
ISACBF_HD_INLINE int project_dual_block(int kind, int size, int order, double* y, double* scratch) {
  switch (kind) {
    case kZero: return 0;
    case kNonneg: project_nonneg(size, y); return 0;
    case kSoc: project_soc(size, y); return 0;
    case kPsdReal: return project_psd_real_jacobi(order, y, scratch);
    case kPsdComplex: return project_psd_herm_jacobi(order, y, scratch);
    case kExpPrimal: project_exp_dual(y); return 0;   // dual of K_exp is K_exp^*
    case kExpDual: project_exp_primal(y); return 0;   // dual of K_exp^* is K_exp
    default: return 0;
  }
}

// s (length size) <- its projection onto the block's (primal) cone.
ISACBF_HD_INLINE int project_primal_block(int kind, int size, int order, double* s, double* scratch) {
  switch (kind) {
    case kZero: project_zero(size, s); return 0;
    case kExpPrimal: project_exp_primal(s); return 0;
    case kExpDual: project_exp_dual(s); return 0;
    default: return project_dual_block(kind, size, order, s, scratch);  // self-dual cones
  }
}

}  // namespace isacbf::kernels
