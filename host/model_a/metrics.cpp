#include "host/model_a/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/array.hpp"
#include "host/common/units.hpp"
#include "host/model_a/io.hpp"

namespace isacbf::model_a {

double sigma_u2(const Instance& inst) { return dbm_to_watt(inst.sigma_u_dBm); }
double sigma_t2(const Instance& inst) { return dbm_to_watt(inst.sigma_t_dBm); }
double sigma_b2(const Instance& inst) { return dbm_to_watt(inst.sigma_b_dBm); }
double power_budget_W(const Instance& inst) { return dbm_to_watt(inst.P_dBm); }

namespace {
// x X x^H for a row vector x and Hermitian X (real by construction; the imaginary round-off is dropped).
double quad(const Eigen::RowVectorXcd& x, const Eigen::MatrixXcd& X) { return (x * X * x.adjoint())(0, 0).real(); }
}  // namespace

Metrics evaluate(const Instance& inst, const Design& design) {
  validate(inst);
  validate(design, inst);
  const int K = inst.K;
  const double su2 = sigma_u2(inst), st2 = sigma_t2(inst), sb2 = sigma_b2(inst);
  const Eigen::RowVectorXcd hce_row = inst.h_ce.adjoint();  // h_ce^H, so quad(hce_row, X) = h_ce^H X h_ce
  const double hce_norm2 = inst.h_ce.squaredNorm();

  std::vector<double> target_q(K);  // h_ce^H Q_k h_ce
  for (int k = 0; k < K; ++k) target_q[k] = quad(hce_row, design.Q[k]);
  const double target_s = quad(hce_row, design.S);
  double target_q_total = 0.0;
  for (double t : target_q) target_q_total += t;

  Metrics m;
  for (int k = 0; k < K; ++k) {
    const Eigen::RowVectorXcd hk = inst.h(k);
    const Eigen::RowVectorXcd hse = inst.h_se(k);
    double interference = 0.0, sensing_interference = 0.0;
    for (int i = 0; i < K; ++i) {
      if (i == k) continue;
      interference += quad(hk, design.Q[i]);
      sensing_interference += quad(hse, design.Q[i]);
    }
    const double sinr_u = quad(hk, design.Q[k]) / (su2 + interference + quad(hk, design.S));       // (8)
    const double sinr_t = target_q[k] / (st2 + target_s + (target_q_total - target_q[k]));           // (14)
    const double scnr_u = (quad(hse, design.S) + quad(hse, design.Q[k])) / (su2 + sensing_interference);  // (17), fixed
    m.sinr_user.push_back(sinr_u);
    m.rate_user.push_back(std::log2(1.0 + sinr_u));
    m.sinr_eve.push_back(sinr_t);
    m.rate_eve.push_back(std::log2(1.0 + sinr_t));
    m.scnr_u.push_back(scnr_u);
    m.secrecy_rate += std::max(0.0, m.rate_user.back() - m.rate_eve.back());
  }
  m.scnr_b = hce_norm2 * target_s / (sb2 + hce_norm2 * target_q_total);  // (12)
  m.power_W = design.S.trace().real();
  for (const auto& q : design.Q) m.power_W += q.trace().real();
  return m;
}

Metrics evaluate_beamformers(const Instance& inst, const std::vector<Eigen::VectorXcd>& w, const Eigen::MatrixXcd& S) {
  return evaluate(inst, design_from_beamformers(inst, w, S));
}

nlohmann::json to_json(const Metrics& m, const Instance& inst) {
  std::vector<double> scnr_u_dB;
  for (double x : m.scnr_u) scnr_u_dB.push_back(linear_to_db(x));
  const double gamma_se = db_to_linear(inst.gamma_se_dB);
  const bool security_ok = std::all_of(m.scnr_u.begin(), m.scnr_u.end(), [&](double x) { return x <= gamma_se * (1 + 1e-6); });
  return {{"model", kModelName},
          {"sinr_user", m.sinr_user},
          {"rate_user", m.rate_user},
          {"sinr_eve", m.sinr_eve},
          {"rate_eve", m.rate_eve},
          {"scnr_u", m.scnr_u},
          {"scnr_u_dB", scnr_u_dB},
          {"scnr_b", m.scnr_b},
          {"scnr_b_dB", linear_to_db(m.scnr_b)},
          {"secrecy_rate", m.secrecy_rate},
          {"power_W", m.power_W},
          {"power_dBm", watt_to_dbm(m.power_W)},
          {"constraints",
           {{"sensing_security", security_ok},
            {"sensing_performance", m.scnr_b >= db_to_linear(inst.gamma_s_dB) * (1 - 1e-6)},
            {"power", m.power_W <= power_budget_W(inst) * (1 + 1e-6)}}}};
}

std::vector<double> beam_pattern(int Nt, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg) {
  return normalised_beam_pattern(Nt, R, theta_deg);
}

double max_scnr_b(const Instance& inst) {
  const double n2 = inst.h_ce.squaredNorm();
  return n2 * n2 * power_budget_W(inst) / sigma_b2(inst);
}

double sensing_security_limit_dB(const Instance& inst) {
  validate(inst);
  const double max_he2 = inst.h_e.cwiseAbs2().maxCoeff();
  return inst.gamma_se_dB + linear_to_db(inst.h_ce.squaredNorm() * sigma_u2(inst) / (max_he2 * sigma_b2(inst)));
}

}  // namespace isacbf::model_a
