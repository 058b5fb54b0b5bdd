#pragma once
// Exact subspace reduction of the fully digital design (model-b.md, Algorithm 1 step 3): every term
// touches W and R_s only through h_k, the estimated AE channels g_j, the steering vectors a(theta_j)
// at the estimated angles, the clutter steering vectors and traces. Projecting W and R_s onto the span
// Q of those vectors keeps every inner product and can only lower the power, so optimising
// W = Q V, R_s = Q X Q^H loses nothing; d <= K + 2J + C.
#include <Eigen/Dense>

#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

// Orthonormal basis (Nt x d) of span{h_k, g_est_j, a(theta_est_j), a(theta_c)} (SVD, rank tolerance
// 1e-10 relative to the largest singular value after normalising each vector).
Eigen::MatrixXcd design_basis(const Instance& inst);

}  // namespace isacbf::model_b
