#pragma once
// One W/R_s step of the FP algorithm (model-b.md Algorithm 1 step 2) as a conic problem: an SOCP with
// one Hermitian PSD block, in coordinates where every row is O(1):
//   W = sqrt(P) Q V,  R_s = P Q X Q^H  (Q: design_basis, so V is d x K and X is d x d),
//   user channels scaled by sqrt(P)/sigma, AE channels by sqrt(P)/sigma_e (noise terms become 1),
//   SCNR rows divided by sigma_r^2 ||u_j||^2 and by Gamma_s, power relative to P.
// Objective (minimised): t + sum_k |y_k|^2 h_k^H X h_k with ||e||^2 <= t, where
//   e_kk = y_k^* h_k^H v_k - sqrt(1 + rho_k),  e_ki = y_k^* h_k^H v_i (i != k)
// (the cancellation form of the quadratic transform); the FP surrogate is
//   sum_k [ln(1+rho_k) - rho_k + 1 + rho_k - |y_k|^2] - objective.
// Variables x = [Re/Im pairs of V column-major (2dK) | hvec(X) (d^2, only when has_sensing_covariance) | t
// | slack (feasibility phase only)].
#include <Eigen/Dense>
#include <complex>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::model_b {

struct DigitalStepData {
  int d = 0, K = 0;
  std::vector<Eigen::VectorXcd> h;        // K, length d, scaled sqrt(P)/sigma
  std::vector<Eigen::VectorXcd> g;        // J, length d, scaled sqrt(P)/sigma_e (design CSI)
  double Gamma_e = 1.0;                   // linear
  std::vector<std::vector<bool>> eve_on;  // [j][k]: impose (15a) on AE j, stream k (default all)
  // Sensing: steering vectors (length d) of the J AEs (design angles) then the C clutter patches, and
  // coef(j, i) = L_s |alpha_i|^2 |u_j^H b_i|^2 P / (sigma_r^2 ||u_j||^2) (i < J: AE i, else clutter).
  std::vector<Eigen::VectorXcd> a;
  Eigen::MatrixXd coef;
  double Gamma_s = 1.0;                   // linear
  bool sensing_constraints = true;        // (15b) imposed
  bool has_sensing_covariance = true;     // X present (false: Ns = 0)
  std::vector<double> rho;                // K
  std::vector<std::complex<double>> y;    // K
  Eigen::MatrixXcd V0;                    // d x K Taylor point (previous iterate)
  // Feasibility phase: a slack sigma >= 0 is added to every (15b) row (with a 1 % margin) and the
  // objective is sigma alone. (15a) and power are convex and hold at V = 0, X = 0, so this problem
  // is always feasible; its iterates raise the SCNRs until sigma = 0.
  bool feasibility_phase = false;
};

struct DigitalStepLayout {
  int d = 0, K = 0, x_offset = 0, t_index = 0, slack_index = -1, num_vars = 0;
  bool has_X = true;
};

DigitalStepLayout digital_step_layout(const DigitalStepData& data);
// Throws InputError naming the field when sizes disagree or values are not finite.
void validate(const DigitalStepData& data);
conic::ConicProblem build_digital_step(const DigitalStepData& data);

struct DigitalStepPoint {
  Eigen::MatrixXcd V;  // d x K
  Eigen::MatrixXcd X;  // d x d (zero when absent)
  double t = 0.0;
};
DigitalStepPoint decode_digital_step(const DigitalStepData& data, const Eigen::VectorXd& x);
Eigen::VectorXd encode_digital_step(const DigitalStepData& data, const DigitalStepPoint& point);

// The FP surrogate value at a point (t taken as ||e||^2, i.e. tight), for tests and monotonicity.
double fp_surrogate(const DigitalStepData& data, const Eigen::MatrixXcd& V, const Eigen::MatrixXcd& X);
// Closed-form auxiliaries (24)-(25) at (V, X): rho_k = gamma_k, y_k = sqrt(1+rho_k) h_k^H v_k / D_k.
void update_auxiliaries(DigitalStepData& data, const Eigen::MatrixXcd& V, const Eigen::MatrixXcd& X);

}  // namespace isacbf::model_b
