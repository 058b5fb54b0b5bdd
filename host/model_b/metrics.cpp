#include "host/model_b/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_b/io.hpp"

namespace isacbf::model_b {

double sigma2(const Instance& inst) { return dbm_to_watt(inst.sigma_dBm); }
double sigma_e2(const Instance& inst) { return dbm_to_watt(inst.sigma_e_dBm); }
double sigma_r2(const Instance& inst) { return dbm_to_watt(inst.sigma_r_dBm); }
double power_budget_W(const Instance& inst) { return dbm_to_watt(inst.P_dBm); }

Eigen::MatrixXcd transmit_covariance(const Design& design) { return design.W * design.W.adjoint() + design.R_s; }

namespace {
const std::vector<double>& ae_angles(const Instance& inst, Csi csi) {
  return csi == Csi::truth ? inst.theta_ae_deg : inst.theta_ae_est_deg;
}
double illumination(const Eigen::VectorXcd& a, const Eigen::MatrixXcd& R_x) { return (a.adjoint() * R_x * a)(0).real(); }
void check_rx(const Instance& inst, const Eigen::MatrixXcd& R_x) {
  if (R_x.rows() != inst.Nt || R_x.cols() != inst.Nt) throw InputError("R_x", "expected Nt x Nt");
}
}  // namespace

Eigen::MatrixXcd interference_covariance(const Instance& inst, const Eigen::MatrixXcd& R_x, int j, Csi csi) {
  check_rx(inst, R_x);
  if (j < 0 || j >= inst.J) throw InputError("j", "AE index " + std::to_string(j) + " out of range");
  const auto& angles = ae_angles(inst, csi);
  Eigen::MatrixXcd sigma = sigma_r2(inst) * Eigen::MatrixXcd::Identity(inst.Nr, inst.Nr);
  for (int i = 0; i < inst.J; ++i) {
    if (i == j) continue;
    const double theta = angles[static_cast<std::size_t>(i)];
    const Eigen::VectorXcd b = steering_vector_deg(inst.Nr, theta);
    sigma += inst.L_s * std::norm(inst.alpha(i)) * illumination(steering_vector_deg(inst.Nt, theta), R_x) * b * b.adjoint();
  }
  for (const auto& c : inst.clutter) {
    const Eigen::VectorXcd b = steering_vector_deg(inst.Nr, c.theta_deg);
    sigma += inst.L_s * std::norm(c.beta) * illumination(steering_vector_deg(inst.Nt, c.theta_deg), R_x) * b * b.adjoint();
  }
  return sigma;
}

Eigen::MatrixXcd mvdr_receivers(const Instance& inst, const Eigen::MatrixXcd& R_x, Csi csi) {
  Eigen::MatrixXcd U(inst.Nr, inst.J);
  for (int j = 0; j < inst.J; ++j) {
    const Eigen::VectorXcd b = steering_vector_deg(inst.Nr, ae_angles(inst, csi)[static_cast<std::size_t>(j)]);
    U.col(j) = interference_covariance(inst, R_x, j, csi).ldlt().solve(b).normalized();
  }
  return U;
}

std::vector<double> scnr(const Instance& inst, const Eigen::MatrixXcd& R_x, const Eigen::MatrixXcd& U, Csi csi) {
  check_rx(inst, R_x);
  if (U.rows() != inst.Nr || U.cols() != inst.J) throw InputError("U", "expected Nr x J");
  std::vector<double> out;
  for (int j = 0; j < inst.J; ++j) {
    const double theta = ae_angles(inst, csi)[static_cast<std::size_t>(j)];
    const Eigen::VectorXcd u = U.col(j);
    const Eigen::VectorXcd b = steering_vector_deg(inst.Nr, theta);
    const double signal = inst.L_s * std::norm(inst.alpha(j)) * std::norm(u.dot(b)) * illumination(steering_vector_deg(inst.Nt, theta), R_x);
    const double noise = (u.adjoint() * interference_covariance(inst, R_x, j, csi) * u)(0).real();
    out.push_back(signal / noise);
  }
  return out;
}

Metrics evaluate(const Instance& inst, const Design& design) {
  validate(inst);
  validate(design, inst);
  const Eigen::MatrixXcd R_x = transmit_covariance(design);
  Metrics m;
  for (int k = 0; k < inst.K; ++k) {
    const Eigen::VectorXcd& h = inst.h[static_cast<std::size_t>(k)];
    const Eigen::RowVectorXcd gains = h.adjoint() * design.W;  // h_k^H w_i for every i
    const double interference = gains.squaredNorm() - std::norm(gains(k));
    const double sinr = std::norm(gains(k)) / (interference + illumination(h, design.R_s) + sigma2(inst));
    m.sinr_user.push_back(sinr);
    m.rate_user.push_back(std::log2(1.0 + sinr));
  }
  m.sinr_eve.assign(static_cast<std::size_t>(inst.J), std::vector<double>(static_cast<std::size_t>(inst.K)));
  m.max_eve_sinr.assign(static_cast<std::size_t>(inst.K), 0.0);
  for (int j = 0; j < inst.J; ++j) {
    const Eigen::VectorXcd& g = inst.g_true[static_cast<std::size_t>(j)];
    const Eigen::RowVectorXcd gains = g.adjoint() * design.W;
    const double denominator = illumination(g, design.R_s) + sigma_e2(inst);
    for (int k = 0; k < inst.K; ++k) {
      const double sinr = std::norm(gains(k)) / denominator;
      m.sinr_eve[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)] = sinr;
      m.max_eve_sinr[static_cast<std::size_t>(k)] = std::max(m.max_eve_sinr[static_cast<std::size_t>(k)], sinr);
    }
  }
  for (int k = 0; k < inst.K; ++k) {
    m.rate_eve.push_back(std::log2(1.0 + m.max_eve_sinr[static_cast<std::size_t>(k)]));
    m.sum_rate += m.rate_user[static_cast<std::size_t>(k)];
    m.secrecy_rate += std::max(0.0, m.rate_user[static_cast<std::size_t>(k)] - m.rate_eve.back());
  }
  const Eigen::MatrixXcd U = design.U.size() > 0 ? design.U : mvdr_receivers(inst, R_x, Csi::estimated);
  m.scnr = scnr(inst, R_x, U, Csi::truth);
  m.power_W = design.W.squaredNorm() + design.R_s.trace().real();
  return m;
}

nlohmann::json to_json(const Metrics& m, const Instance& inst) {
  auto to_db = [](const std::vector<double>& v) {
    std::vector<double> out;
    for (double x : v) out.push_back(linear_to_db(x));
    return out;
  };
  const double cap = db_to_linear(inst.Gamma_e_dB), threshold = db_to_linear(inst.Gamma_s_dB);
  const bool eve_ok = std::all_of(m.max_eve_sinr.begin(), m.max_eve_sinr.end(), [&](double x) { return x <= cap * (1 + 1e-6); });
  const bool scnr_ok = std::all_of(m.scnr.begin(), m.scnr.end(), [&](double x) { return x >= threshold * (1 - 1e-6); });
  return {{"model", kModelName},
          {"sinr_user", m.sinr_user},
          {"rate_user", m.rate_user},
          {"sinr_eve", m.sinr_eve},
          {"max_eve_sinr", m.max_eve_sinr},
          {"max_eve_sinr_dB", to_db(m.max_eve_sinr)},
          {"rate_eve", m.rate_eve},
          {"scnr", m.scnr},
          {"scnr_dB", to_db(m.scnr)},
          {"secrecy_rate", m.secrecy_rate},
          {"sum_rate", m.sum_rate},
          {"power_W", m.power_W},
          {"power_dBm", watt_to_dbm(m.power_W)},
          {"constraints",
           {{"eavesdropper_sinr", eve_ok}, {"sensing_scnr", scnr_ok}, {"power", m.power_W <= power_budget_W(inst) * (1 + 1e-6)}}}};
}

std::vector<double> beam_pattern(int Nt, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg) {
  return normalised_beam_pattern(Nt, R, theta_deg);
}

}  // namespace isacbf::model_b
