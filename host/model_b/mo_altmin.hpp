#pragma once
// MO-AltMin (Yu, Shen, Zhang, Letaief 2016): approximate a digital precoder T = [W S] (Nt x L) by
// F B with |F_mn| = 1, alternating the least-squares B = F^+ T and manifold optimisation of
// ||T - F B||_F^2 over F (same kernels as the HAD design). Used for the decomposed-HAD baseline and
// to initialise the proposed HAD design (49).
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "host/model_b/manifold_batch.hpp"

namespace isacbf::model_b {

struct AltMinOptions {
  int max_rounds = 50;
  double tolerance = 1e-4;       // stop when the residual drops by less than this (relative)
  int manifold_iterations = 30;  // per F step
  std::uint64_t seed = 1;        // random unit-modulus start (the same for every instance of a batch)
};

struct AltMinResult {
  Eigen::MatrixXcd F, B;                // Nt x N_RF, N_RF x L (not yet scaled to a budget)
  std::vector<double> residual_trace;  // ||T - F B||_F after each round (after the B step)
  int rounds = 0;
};

AltMinResult mo_altmin(const Eigen::MatrixXcd& T, int n_rf, const AltMinOptions& options = {});

// Many approximations at once, in lockstep rounds: each round's B steps run over threads and the F
// steps of every instance still improving go to `manifold` together (one minimise call per shape), so
// on the GPU backend they are one batched Riemannian CG. An instance stops as in mo_altmin; with the
// CPU backend each result equals mo_altmin's for that T. Errors name "T[i]".
std::vector<AltMinResult> mo_altmin_batch(const std::vector<Eigen::MatrixXcd>& T, int n_rf, ManifoldBatchSolver& manifold,
                                          const AltMinOptions& options = {});

}  // namespace isacbf::model_b
