#pragma once
// Model A metrics exactly as model-a.md "Metrics" (with the index fix of (17)).
#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <vector>

#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

struct Metrics {
  std::vector<double> sinr_user, rate_user;  // SINR_u,k (linear), R_u,k = log2(1 + SINR_u,k)
  std::vector<double> sinr_eve, rate_eve;    // SINR_t,k, R_t,k: the target eavesdropping stream k
  std::vector<double> scnr_u;                // SCNR_u,k (linear): CU k sensing the target
  double scnr_b = 0.0;                       // SCNR_b (linear) at the BS
  double secrecy_rate = 0.0;                 // sum_k [R_u,k - R_t,k]^+, bps/Hz
  double power_W = 0.0;                      // Tr(sum_k Q_k + S)
};

Metrics evaluate(const Instance& inst, const Design& design);  // validates dims, Hermitian, PSD
Metrics evaluate_beamformers(const Instance& inst, const std::vector<Eigen::VectorXcd>& w, const Eigen::MatrixXcd& S);

// {"sinr_user", "rate_user", "sinr_eve", "rate_eve", "scnr_u", "scnr_u_dB", "scnr_b", "scnr_b_dB",
//  "secrecy_rate", "power_W", "power_dBm", "constraints": {...}} (docs/formats.md "eval output").
nlohmann::json to_json(const Metrics& m, const Instance& inst);

// P(theta) = a^H R a normalised to its maximum, (50)-(51); R is Nt x Nt.
std::vector<double> beam_pattern(int Nt, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg);

// Noise powers and budget in watts.
double sigma_u2(const Instance& inst);
double sigma_t2(const Instance& inst);
double sigma_b2(const Instance& inst);
double power_budget_W(const Instance& inst);

// Largest SCNR_b any design within the budget reaches: ||h_ce||^4 P / sigma_b^2 (all power in S
// along h_ce), linear.
double max_scnr_b(const Instance& inst);
// Analytic sensing-security limit: the largest gamma_s compatible with (27) whatever the power,
// gamma_s,max = gamma_se ||h_ce||^2 sigma_u^2 / (max_k |h_e,k|^2 sigma_b^2), in dB.
double sensing_security_limit_dB(const Instance& inst);

}  // namespace isacbf::model_a
