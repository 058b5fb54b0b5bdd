#pragma once
// Huang-Palomar rank reduction ("purification") of the sensing covariance and Theorem 1's bounds
// (model-b.md "Sensing beams"). With W and U fixed every quantity of problem (15) depends on R_s only
// through the linear functionals v^H R_s v for v in {h_k, g_est_j, a(theta_est_j), a(theta_c)} and
// tr R_s. While rank(R_s)^2 exceeds the number of independent functionals there is a Hermitian
// Delta with V^H A_i V . Delta = 0 for all of them; R_s <- V (I - Delta / delta_max) V^H keeps every
// functional and drops the rank by one. The design is therefore unchanged in every metric.
#include <Eigen/Dense>
#include <vector>

#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

inline constexpr double kRankTolerance = 1e-6;  // eigenvalues above this times lambda_max count

int numerical_rank(const Eigen::MatrixXcd& R, double tolerance = kRankTolerance);

// Purify R (PSD) keeping v^H R v for every v in `functionals` and tr R. Returns the reduced R.
Eigen::MatrixXcd purify(const Eigen::MatrixXcd& R, const std::vector<Eigen::VectorXcd>& functionals,
                        double tolerance = kRankTolerance);

// The design-CSI functionals of the instance (h_k, g_est_j, a(theta_est_j), a(theta_c)).
std::vector<Eigen::VectorXcd> sensing_functionals(const Instance& inst);

// S = U_s Lambda^{1/2} over eigenvalues above tolerance * lambda_max (Nt x rank; zero columns when R = 0).
Eigen::MatrixXcd beams_from_covariance(const Eigen::MatrixXcd& R, double tolerance = kRankTolerance);

struct SensingBeamBounds {
  int worst_case = 0;   // floor(sqrt(2J + 1))
  int dependent = 0;    // floor(sqrt(min(2J, J + C) + 1)): g_j proportional to a(theta_j)
  int per_user = 0;     // floor(sqrt(min(2J, J + C) + K + 1)): (15a) imposed per user
  int rf_chains_needed = 0;  // 2 (K + worst_case) for HAD to match digital
};
SensingBeamBounds sensing_beam_bounds(int K, int J, int C);

}  // namespace isacbf::model_b
