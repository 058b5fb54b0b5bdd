#pragma once
// MO-AltMin (Yu, Shen, Zhang, Letaief 2016): approximate a digital precoder T = [W S] (Nt x L) by
// F B with |F_mn| = 1, alternating the least-squares B = F^+ T and manifold optimisation of
// ||T - F B||_F^2 over F (same kernels as the HAD design). Used for the decomposed-HAD baseline and
// to initialise the proposed HAD design (49).
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace isacbf::model_b {

struct AltMinOptions {
  int max_rounds = 50;
  double tolerance = 1e-4;       // stop when the residual drops by less than this (relative)
  int manifold_iterations = 30;  // per F step
  std::uint64_t seed = 1;        // random unit-modulus start
};

struct AltMinResult {
  Eigen::MatrixXcd F, B;                // Nt x N_RF, N_RF x L (not yet scaled to a budget)
  std::vector<double> residual_trace;  // ||T - F B||_F after each round (after the B step)
  int rounds = 0;
};

AltMinResult mo_altmin(const Eigen::MatrixXcd& T, int n_rf, const AltMinOptions& options = {});

}  // namespace isacbf::model_b
