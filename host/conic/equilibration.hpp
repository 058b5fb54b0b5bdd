#pragma once
// Ruiz equilibration of the conic data: A_hat = D A E, b_hat = sigma_b D b, c_hat = sigma_c E c,
// with D constant on every SOC / PSD / exponential block (so D maps each cone onto itself).
// Unscaling: x = E x_hat / sigma_b, s = D^{-1} s_hat / sigma_b, y = D y_hat / sigma_c.
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

#include "host/conic/cone_projector.hpp"

namespace isacbf::conic {

struct Equilibration {
  Eigen::VectorXd D;  // row scaling (m)
  Eigen::VectorXd E;  // column scaling (n)
  double sigma_b = 1.0;
  double sigma_c = 1.0;
};

// passes = 0 gives the identity scaling. Each pass divides every row (block) and column by the
// square root of its infinity norm; cumulative factors are clipped to [1e-4, 1e4]. l2_pass adds one
// final pass on 2-norms (SCS 3.2's normalisation).
Equilibration ruiz_equilibrate(const Eigen::SparseMatrix<double>& A, const std::vector<ConeBlock>& blocks,
                               int passes, bool l2_pass = false);

// Applies the scaling: A_hat, b_hat, c_hat (sigma_b, sigma_c chosen here from the scaled b, c, or 1
// when normalize_bc is false, as in SCS 3.2).
void apply_equilibration(Equilibration& eq, const Eigen::SparseMatrix<double>& A, const Eigen::VectorXd& b,
                         const Eigen::VectorXd& c, Eigen::SparseMatrix<double>& A_hat, Eigen::VectorXd& b_hat,
                         Eigen::VectorXd& c_hat, bool normalize_bc = true);

}  // namespace isacbf::conic
