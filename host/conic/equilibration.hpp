#pragma once
// Ruiz equilibration of the conic data: A_hat = D A E, b_hat = sigma_b D b, c_hat = sigma_c E c,
// with D constant on every SOC / exponential block and, on PSD blocks, either constant ("block") or a
// diagonal congruence D_(ij) = t_i t_j ("congruence": X -> T X T, T = diag(t) > 0, in svec/hvec
// coordinates; it maps the PSD cone, self-dual, onto itself). Either way D maps each cone onto itself
// and every (un)scaling below stays elementwise.
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

// automatic: congruence on a PSD block whose index spread (below) exceeds kCongruenceSpread, one scale
// otherwise (docs/solver.md, "Equilibration of PSD blocks").
enum class PsdScaling { block, congruence, automatic };
// Settings::psd_equilibration ("auto" | "block" | "congruence", validated) as the enum.
inline PsdScaling psd_scaling(const Settings& st) {
  if (st.psd_equilibration == "congruence") return PsdScaling::congruence;
  return st.psd_equilibration == "block" ? PsdScaling::block : PsdScaling::automatic;
}

// Index spread of a PSD block of the unscaled A: with mx_i = the largest |entry| of the rows (i, j) over
// all j, max_i mx_i / min_i mx_i (indices with mx_i = 0 left out). SDPLIB: control1/2 and arch0 120-270,
// every other block <= 49.
constexpr double kCongruenceSpread = 100.0;

// passes = 0 gives the identity scaling. Each pass divides every row (block) and column by the
// square root of its infinity norm; cumulative factors are clipped to [1e-4, 1e4]. l2_pass adds one
// final pass on 2-norms (SCS 3.2's normalisation).
Equilibration ruiz_equilibrate(const Eigen::SparseMatrix<double>& A, const std::vector<ConeBlock>& blocks,
                               int passes, bool l2_pass = false, PsdScaling psd = PsdScaling::block);

// Applies the scaling: A_hat, b_hat, c_hat (sigma_b, sigma_c chosen here from the scaled b, c, or 1
// when normalize_bc is false, as in SCS 3.2).
void apply_equilibration(Equilibration& eq, const Eigen::SparseMatrix<double>& A, const Eigen::VectorXd& b,
                         const Eigen::VectorXd& c, Eigen::SparseMatrix<double>& A_hat, Eigen::VectorXd& b_hat,
                         Eigen::VectorXd& c_hat, bool normalize_bc = true);

}  // namespace isacbf::conic
