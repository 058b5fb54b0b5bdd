#pragma once
// A synthetic conic problem with the cone structure of model A's P4 (K + 1 Hermitian PSD blocks of
// order d, K primal exponential cones, a few linear rows), used by `isacbf bench` and the GPU tests
// while the model-A builder is written in parallel. It has a closed-form optimum, so a solve can be
// checked without a second solver.
//
//   variables  X_0..X_K (hvec, d^2 reals each), r_0..r_{K-1}
//   minimise   sum_k tr X_k - sum_{k<K} mu_k r_k
//   subject to sum_k tr X_k <= P                      (nonneg row)
//              <G_k, X_k> >= gamma, k < K; <G_K, X_K> >= Gamma   (nonneg rows)
//              X_k PSD                                (K + 1 complex PSD cones)
//              (r_k, 1, 1 + <G_k, X_k>) in K_exp       (rate <= log(1 + gain), K cones)
// with G_k = g_k g_k^H, ||g_k|| = 1 random, mu_k in [1.5, 3], gamma = Gamma = 0.1, P = 2K + 1.
// Optimum: X_k = (mu_k - 1) g_k g_k^H, X_K = Gamma g_K g_K^H, value sum_k (mu_k - 1 - mu_k log mu_k) + Gamma.
#include <cstdint>

#include "host/conic/problem.hpp"

namespace isacbf::bench {

struct SyntheticP4 {
  conic::ConicProblem problem;
  double optimum = 0.0;
};

SyntheticP4 synthetic_p4(int users, int order, std::uint64_t seed);

}  // namespace isacbf::bench
