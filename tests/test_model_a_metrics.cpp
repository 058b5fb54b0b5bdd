// Model A metrics against values derived by hand (scalar / explicit-sum arithmetic, not the library),
// identities of model-a.md, and agreement of the beamformer and covariance entry points.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_a/simple_designs.hpp"

using namespace isacbf;
using namespace isacbf::model_a;
using cd = std::complex<double>;

namespace {

Instance scalar_instance() {  // Nt = 1, K = 2
  Instance inst;
  inst.Nt = 1;
  inst.K = 2;
  inst.P_dBm = 20;
  inst.gamma_s_dB = 0;
  inst.gamma_se_dB = 2;
  inst.sigma_u_dBm = -60;  // 1e-9 W
  inst.sigma_t_dBm = -70;  // 1e-10 W
  inst.sigma_b_dBm = -80;  // 1e-11 W
  inst.g = {Eigen::VectorXcd::Constant(1, cd(3e-4, -1e-4)), Eigen::VectorXcd::Constant(1, cd(-2e-4, 2e-4))};
  inst.h_ce = Eigen::VectorXcd::Constant(1, cd(1e-3, 5e-4));
  inst.h_e = Eigen::VectorXcd(2);
  inst.h_e << cd(2e-3, 1e-3), cd(-1e-3, 3e-3);
  return inst;
}

double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

}  // namespace

TEST(ModelAMetrics, ScalarChannelMatchesHandDerivation) {
  const Instance inst = scalar_instance();
  const double q1 = 0.02, q2 = 0.03, s = 0.04;
  Design d;
  d.Q = {Eigen::MatrixXcd::Constant(1, 1, q1), Eigen::MatrixXcd::Constant(1, 1, q2)};
  d.S = Eigen::MatrixXcd::Constant(1, 1, s);
  const Metrics m = evaluate(inst, d);

  const double su = 1e-9, st = 1e-10, sb = 1e-11;
  const cd c = inst.h_ce(0);
  const cd e[2] = {inst.h_e(0), inst.h_e(1)};
  const cd g[2] = {inst.g[0](0), inst.g[1](0)};
  const double q[2] = {q1, q2};
  const double c2 = std::norm(c);
  double sr = 0;
  for (int k = 0; k < 2; ++k) {
    const int i = 1 - k;
    const double hk2 = std::norm(std::conj(g[k]) + e[k] * std::conj(c));  // |h_k|^2
    const double sinr_u = hk2 * q[k] / (su + hk2 * q[i] + hk2 * s);
    const double sinr_t = c2 * q[k] / (st + c2 * s + c2 * q[i]);
    const double hse2 = std::norm(e[k]) * c2;
    const double scnr_u = hse2 * (s + q[k]) / (su + hse2 * q[i]);
    EXPECT_LT(rel(m.sinr_user[k], sinr_u), 1e-12) << k;
    EXPECT_LT(rel(m.sinr_eve[k], sinr_t), 1e-12) << k;
    EXPECT_LT(rel(m.scnr_u[k], scnr_u), 1e-12) << k;
    EXPECT_LT(rel(m.rate_user[k], std::log2(1 + sinr_u)), 1e-12);
    sr += std::max(0.0, std::log2(1 + sinr_u) - std::log2(1 + sinr_t));
  }
  EXPECT_LT(rel(m.scnr_b, c2 * c2 * s / (sb + c2 * c2 * (q1 + q2))), 1e-12);
  EXPECT_LT(rel(m.secrecy_rate, sr), 1e-12);
  EXPECT_LT(rel(m.power_W, q1 + q2 + s), 1e-14);
}

TEST(ModelAMetrics, TwoAntennaBeamformersMatchExplicitSums) {
  // Nt = 2, K = 2, rank-one S = v v^H: every quadratic form is |x . y|^2, summed out by hand.
  Instance inst = scalar_instance();
  inst.Nt = 2;
  inst.g = {Eigen::Vector2cd(cd(3e-4, -1e-4), cd(-1e-4, 2e-4)), Eigen::Vector2cd(cd(-2e-4, 2e-4), cd(1e-4, 1e-4))};
  inst.h_ce = Eigen::Vector2cd(cd(1e-3, 5e-4), cd(-4e-4, 9e-4));
  const std::vector<Eigen::VectorXcd> w = {Eigen::Vector2cd(cd(0.1, 0.05), cd(-0.02, 0.08)),
                                           Eigen::Vector2cd(cd(-0.03, 0.1), cd(0.07, -0.01))};
  const Eigen::Vector2cd v(cd(0.05, -0.05), cd(0.1, 0.02));

  // row . col with the row given by its entries (no conjugation applied here).
  auto dot = [](const cd r[2], const Eigen::VectorXcd& x) { return r[0] * x(0) + r[1] * x(1); };
  const double su = 1e-9, st = 1e-10, sb = 1e-11;
  const cd hce_h[2] = {std::conj(inst.h_ce(0)), std::conj(inst.h_ce(1))};  // h_ce^H as a row
  const double hce2 = inst.h_ce.squaredNorm();
  double target_q[2], target_s = std::norm(dot(hce_h, v));
  for (int k = 0; k < 2; ++k) target_q[k] = std::norm(dot(hce_h, w[k]));

  const Metrics m = evaluate_beamformers(inst, w, v * v.adjoint());
  for (int k = 0; k < 2; ++k) {
    const int i = 1 - k;
    cd hk[2], hse[2];
    for (int n = 0; n < 2; ++n) {
      hse[n] = inst.h_e(k) * hce_h[n];
      hk[n] = std::conj(inst.g[k](n)) + hse[n];
    }
    const double sinr_u = std::norm(dot(hk, w[k])) / (su + std::norm(dot(hk, w[i])) + std::norm(dot(hk, v)));
    const double sinr_t = target_q[k] / (st + target_s + target_q[i]);
    const double scnr_u = (std::norm(dot(hse, v)) + std::norm(dot(hse, w[k]))) / (su + std::norm(dot(hse, w[i])));
    EXPECT_LT(rel(m.sinr_user[k], sinr_u), 1e-12) << k;
    EXPECT_LT(rel(m.sinr_eve[k], sinr_t), 1e-12) << k;
    EXPECT_LT(rel(m.scnr_u[k], scnr_u), 1e-12) << k;
  }
  EXPECT_LT(rel(m.scnr_b, hce2 * target_s / (sb + hce2 * (target_q[0] + target_q[1]))), 1e-12);
  EXPECT_LT(rel(m.power_W, w[0].squaredNorm() + w[1].squaredNorm() + v.squaredNorm()), 1e-14);
}

TEST(ModelAMetrics, BeamformerAndCovarianceEntryPointsAgree) {
  const Instance inst = generate(Scenario{}, 5);
  std::vector<Eigen::VectorXcd> w;
  Design d;
  for (int k = 0; k < inst.K; ++k) {
    w.push_back(0.05 * Eigen::VectorXcd::Random(inst.Nt));
    d.Q.push_back(w.back() * w.back().adjoint());
  }
  const Eigen::MatrixXcd A = 0.05 * Eigen::MatrixXcd::Random(inst.Nt, inst.Nt);
  d.S = A * A.adjoint();
  const Metrics a = evaluate(inst, d), b = evaluate_beamformers(inst, w, d.S);
  for (int k = 0; k < inst.K; ++k) {
    EXPECT_LT(rel(a.sinr_user[k], b.sinr_user[k]), 1e-12);
    EXPECT_LT(rel(a.scnr_u[k], b.scnr_u[k]), 1e-12);
  }
  EXPECT_LT(rel(a.secrecy_rate, b.secrecy_rate), 1e-12);
}

TEST(ModelAMetrics, PureSensingRatioIdentityAndSecurityLimit) {
  // Q_k = 0: SCNR_b / SCNR_u,k = ||h_ce||^2 sigma_u^2 / (|h_e,k|^2 sigma_b^2) for any S.
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Instance inst = generate(Scenario{}, seed);
    Design d;
    d.Q.assign(static_cast<std::size_t>(inst.K), Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt));
    const Eigen::MatrixXcd A = Eigen::MatrixXcd::Random(inst.Nt, 3);
    d.S = 0.01 * A * A.adjoint();
    const Metrics m = evaluate(inst, d);
    double worst = 0;
    for (int k = 0; k < inst.K; ++k) {
      const double ratio = inst.h_ce.squaredNorm() * sigma_u2(inst) / (std::norm(inst.h_e(k)) * sigma_b2(inst));
      EXPECT_LT(rel(m.scnr_b / m.scnr_u[k], ratio), 1e-10);
      worst = std::max(worst, std::norm(inst.h_e(k)));
      EXPECT_EQ(m.sinr_user[k], 0.0);
      EXPECT_EQ(m.secrecy_rate, 0.0);
    }
    const double limit = inst.gamma_se_dB +
                         10 * std::log10(inst.h_ce.squaredNorm() * sigma_u2(inst) / (worst * sigma_b2(inst)));
    EXPECT_NEAR(sensing_security_limit_dB(inst), limit, 1e-10);
  }
  // Table I distances: the paper's 29.2 dB limit at gamma_se = 2 dB.
  EXPECT_NEAR(sensing_security_limit_dB(generate(Scenario{}, 1)), 29.2, 0.05);
}

TEST(ModelAMetrics, AllPowerAlongTargetReachesMaxScnrB) {
  const Instance inst = generate(Scenario{}, 9);
  Design d;
  d.Q.assign(static_cast<std::size_t>(inst.K), Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt));
  d.S = power_budget_W(inst) * inst.h_ce * inst.h_ce.adjoint() / inst.h_ce.squaredNorm();
  EXPECT_LT(rel(evaluate(inst, d).scnr_b, max_scnr_b(inst)), 1e-12);
  EXPECT_NEAR(linear_to_db(max_scnr_b(inst)), 8.1, 0.05);  // model-a.md: ~8 dB at Nt = 8, P = 18 dBm
  EXPECT_GT(linear_to_db(max_scnr_b(inst)), Scenario{}.gamma_s_dB);  // default thresholds not trivially infeasible
}

TEST(ModelAMetrics, MrtDesignSpendsTheBudgetAndSecrecyIsClipped) {
  const Instance inst = generate(Scenario{}, 3);
  const Design d = mrt_design(inst, 0.7);
  const Metrics m = evaluate(inst, d);
  EXPECT_LT(rel(m.power_W, power_budget_W(inst)), 1e-12);
  double sr = 0;
  for (int k = 0; k < inst.K; ++k) sr += std::max(0.0, m.rate_user[k] - m.rate_eve[k]);
  EXPECT_LT(rel(m.secrecy_rate, sr), 1e-12);
  EXPECT_THROW(mrt_design(inst, 1.5), InputError);
}

TEST(ModelAMetrics, RejectsBadDesignsNamingTheField) {
  const Instance inst = generate(Scenario{}, 3);
  Design d = mrt_design(inst);
  d.Q[1](0, 1) += 0.01;  // breaks Hermitian symmetry
  try {
    evaluate(inst, d);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "Q[1]");
  }
  d = mrt_design(inst);
  d.S = Eigen::MatrixXcd::Identity(inst.Nt - 1, inst.Nt - 1);
  try {
    evaluate(inst, d);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "S");
  }
  d = mrt_design(inst);
  d.Q.pop_back();
  EXPECT_THROW(evaluate(inst, d), InputError);
}

TEST(ModelAMetrics, BeamPatternOfSensingAlongTargetPeaksAtTheTarget) {
  Scenario s;
  s.theta_t_deg = 10;
  const Instance inst = generate(s, 1);
  const Eigen::MatrixXcd S = inst.h_ce * inst.h_ce.adjoint();
  std::vector<double> theta;
  for (double t = -90; t <= 90; t += 0.5) theta.push_back(t);
  const auto p = beam_pattern(inst.Nt, S, theta);
  EXPECT_EQ(theta[static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin())], 10.0);
}
