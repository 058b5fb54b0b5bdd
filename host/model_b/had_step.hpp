#pragma once
// Digital step of the HAD design with F fixed (model-b.md Algorithm 2 step 2): an SOCP in the digital
// columns B = [W_BB S_BB] (N_RF x (K + Ns)); S_BB is kept as explicit columns, so every
// ||c^H F S_BB||^2 on a "greater-or-equal" side is replaced by its Taylor lower bound at the previous
// B0 (35)-(36). Scaling as in digital_step.hpp: W = sqrt(P) F W_BB, channels scaled so that noise
// terms are 1, SCNR rows divided by sigma_r^2 ||u_j||^2 Gamma_s, power relative to P.
// Variables x = [Re/Im pairs of B column-major | t]; objective t with ||e||^2 <= t,
//   e_kk = y_k^* h_k^H F b_k - sqrt(1 + rho_k),  e_kl = y_k^* h_k^H F b_l (l != k, sensing columns included).
#include <Eigen/Dense>
#include <complex>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::model_b {

struct HadStepData {
  int K = 0, Ns = 0;
  Eigen::MatrixXcd F;                    // Nt x N_RF (unit modulus)
  std::vector<Eigen::VectorXcd> h, g, a; // length Nt, scaled as in DigitalStepData (a: J AEs then C clutter)
  Eigen::MatrixXd coef;                  // J x (J + C)
  double Gamma_e = 1.0, Gamma_s = 1.0;
  std::vector<double> rho;
  std::vector<std::complex<double>> y;
  Eigen::MatrixXcd B0;                   // N_RF x (K + Ns) Taylor point
};

void validate(const HadStepData& data);
conic::ConicProblem build_had_step(const HadStepData& data);
Eigen::MatrixXcd decode_had_step(const HadStepData& data, const Eigen::VectorXd& x);  // B
Eigen::VectorXd encode_had_step(const HadStepData& data, const Eigen::MatrixXcd& B, double t);
// rho, y (24)-(25) at W = F B(:, :K), sensing columns F B(:, K:).
void update_auxiliaries(HadStepData& data, const Eigen::MatrixXcd& B);

}  // namespace isacbf::model_b
