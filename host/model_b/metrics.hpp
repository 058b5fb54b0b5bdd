#pragma once
// Model B metrics (model-b.md "Metrics"). Reported AE SINRs, SCNRs and secrecy use the TRUE AE CSI;
// MVDR receivers (when the design has no U) are built from the ESTIMATED angles, as a design would.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <vector>

#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

enum class Csi { truth, estimated };

struct Metrics {
  std::vector<double> sinr_user, rate_user;   // gamma_k (linear), log2(1 + gamma_k)
  std::vector<std::vector<double>> sinr_eve;  // [j][k]: gamma_{j,k}, worst case (perfect SIC)
  std::vector<double> max_eve_sinr;           // [k]: max_j gamma_{j,k} (0 when J = 0)
  std::vector<double> rate_eve;               // [k]: log2(1 + max_eve_sinr[k])
  std::vector<double> scnr;                   // [j]: SCNR_j (linear)
  double secrecy_rate = 0.0;                  // sum_k [rate_user - rate_eve]^+, bps/Hz
  double sum_rate = 0.0;                      // sum_k rate_user, bps/Hz
  double power_W = 0.0;                       // ||W||_F^2 + Tr(R_s)
};

Metrics evaluate(const Instance& inst, const Design& design);
nlohmann::json to_json(const Metrics& m, const Instance& inst);

double sigma2(const Instance& inst);     // W
double sigma_e2(const Instance& inst);
double sigma_r2(const Instance& inst);
double power_budget_W(const Instance& inst);

Eigen::MatrixXcd transmit_covariance(const Design& design);  // R_x = W W^H + R_s
// Sigma_int,j = sum_{i != j} L_s|alpha_i|^2 b_i b_i^H a_i^H R_x a_i + sum_c L_s|beta_c|^2 b_c b_c^H a_c^H R_x a_c + sigma_r^2 I.
Eigen::MatrixXcd interference_covariance(const Instance& inst, const Eigen::MatrixXcd& R_x, int j, Csi csi);
// Columns u_j = Sigma_int,j^{-1} b_j / ||.||, Nr x J.
Eigen::MatrixXcd mvdr_receivers(const Instance& inst, const Eigen::MatrixXcd& R_x, Csi csi = Csi::estimated);
// SCNR_j for every AE with receivers U (Nr x J).
std::vector<double> scnr(const Instance& inst, const Eigen::MatrixXcd& R_x, const Eigen::MatrixXcd& U, Csi csi = Csi::truth);

std::vector<double> beam_pattern(int Nt, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg);

}  // namespace isacbf::model_b
