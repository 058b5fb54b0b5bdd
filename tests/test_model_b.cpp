// Model B: metrics against hand-computed values at small sizes, MVDR optimality, generator rules
// and statistics, reproducibility, JSON round trips and validation.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/simple_designs.hpp"
#include "tests/input_error_field.hpp"

using namespace isacbf;
using namespace isacbf::model_b;
using cd = std::complex<double>;
using nlohmann::json;

namespace {
constexpr double kPi = 3.14159265358979323846;

using isacbf::testing::field_of;
double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

// Nt = 2, Nr = 1 (so u_j drops out of SCNR_j), K = 2, J = 2, one clutter patch.
Instance small_instance() {
  Instance inst;
  inst.Nt = 2; inst.Nr = 1; inst.K = 2; inst.J = 2; inst.Ns = 1; inst.N_RF = 0;
  inst.P_dBm = 30;
  inst.Gamma_e_dB = 0;
  inst.Gamma_s_dB = 10;
  inst.sigma_dBm = -60;    // 1e-9
  inst.sigma_e_dBm = -70;  // 1e-10
  inst.sigma_r_dBm = -80;  // 1e-11
  inst.L_s = 10;
  inst.h = {Eigen::Vector2cd(cd(1e-4, 2e-4), cd(-3e-4, 1e-4)), Eigen::Vector2cd(cd(2e-4, -1e-4), cd(1e-4, 1e-4))};
  inst.g_true = {Eigen::Vector2cd(cd(5e-4, 0), cd(0, 5e-4)), Eigen::Vector2cd(cd(-2e-4, 3e-4), cd(4e-4, 1e-4))};
  inst.g_est = inst.g_true;
  inst.theta_ae_deg = {30, -20};
  inst.theta_ae_est_deg = inst.theta_ae_deg;
  inst.alpha = Eigen::Vector2cd(cd(1e-5, 2e-5), cd(-3e-5, 1e-5));
  inst.clutter = {{60.0, cd(5e-5, -5e-5)}};
  return inst;
}

cd hdot(const Eigen::VectorXcd& x, const Eigen::VectorXcd& y) {  // x^H y by explicit sum
  cd s{};
  for (int n = 0; n < x.size(); ++n) s += std::conj(x(n)) * y(n);
  return s;
}
Eigen::VectorXcd ula(int n, double deg) {
  Eigen::VectorXcd a(n);
  for (int i = 0; i < n; ++i) a(i) = std::polar(1.0, kPi * i * std::sin(deg * kPi / 180));
  return a;
}
}  // namespace

TEST(ModelBMetrics, SmallInstanceMatchesHandComputation) {
  const Instance inst = small_instance();
  Eigen::MatrixXcd W(2, 2), S(2, 1);
  W << cd(0.3, 0.1), cd(-0.2, 0.2), cd(0.1, -0.4), cd(0.25, 0.05);
  S << cd(0.1, 0.2), cd(-0.15, 0.05);
  const Metrics m = evaluate(inst, design_from_beams(inst, W, S));
  const Eigen::VectorXcd w[2] = {W.col(0), W.col(1)};
  const Eigen::VectorXcd s = S.col(0);

  double sum_rate = 0, secrecy = 0;
  for (int k = 0; k < 2; ++k) {
    const int i = 1 - k;
    const double sinr = std::norm(hdot(inst.h[k], w[k])) /
                        (std::norm(hdot(inst.h[k], w[i])) + std::norm(hdot(inst.h[k], s)) + 1e-9);
    EXPECT_LT(rel(m.sinr_user[k], sinr), 1e-12) << k;
    double worst = 0;
    for (int j = 0; j < 2; ++j) {
      const double eve = std::norm(hdot(inst.g_true[j], w[k])) / (std::norm(hdot(inst.g_true[j], s)) + 1e-10);
      EXPECT_LT(rel(m.sinr_eve[j][k], eve), 1e-12) << j << k;
      worst = std::max(worst, eve);
    }
    EXPECT_LT(rel(m.max_eve_sinr[k], worst), 1e-12);
    sum_rate += std::log2(1 + sinr);
    secrecy += std::max(0.0, std::log2(1 + sinr) - std::log2(1 + worst));
  }
  EXPECT_LT(rel(m.sum_rate, sum_rate), 1e-12);
  EXPECT_LT(rel(m.secrecy_rate, secrecy), 1e-12);

  // a^H R_x a = sum_k |a^H w_k|^2 + |a^H s|^2.
  auto illum = [&](double deg) {
    const Eigen::VectorXcd a = ula(2, deg);
    return std::norm(hdot(a, w[0])) + std::norm(hdot(a, w[1])) + std::norm(hdot(a, s));
  };
  const double clutter = 10 * std::norm(inst.clutter[0].beta) * illum(60);
  for (int j = 0; j < 2; ++j) {
    const int i = 1 - j;
    const double scnr = 10 * std::norm(inst.alpha(j)) * illum(inst.theta_ae_deg[j]) /
                        (10 * std::norm(inst.alpha(i)) * illum(inst.theta_ae_deg[i]) + clutter + 1e-11);
    EXPECT_LT(rel(m.scnr[j], scnr), 1e-10) << j;
  }
  EXPECT_LT(rel(m.power_W, W.squaredNorm() + S.squaredNorm()), 1e-14);
}

TEST(ModelBMetrics, MvdrReceiverMaximisesScnr) {
  Scenario sc;
  sc.Nt = 8; sc.Nr = 6; sc.J = 3; sc.theta_ae_deg = {};
  const Instance inst = generate(sc, 4);
  const Design d = mrt_design(inst);
  const Eigen::MatrixXcd R_x = transmit_covariance(d);
  const Eigen::MatrixXcd U = mvdr_receivers(inst, R_x, Csi::truth);
  const auto best = scnr(inst, R_x, U, Csi::truth);
  for (int j = 0; j < inst.J; ++j) {
    // Closed form of the generalised Rayleigh quotient: L_s |alpha_j|^2 (a^H R_x a) b^H Sigma^{-1} b.
    const Eigen::VectorXcd a = ula(inst.Nt, inst.theta_ae_deg[j]), b = ula(inst.Nr, inst.theta_ae_deg[j]);
    Eigen::MatrixXcd sigma = dbm_to_watt(inst.sigma_r_dBm) * Eigen::MatrixXcd::Identity(inst.Nr, inst.Nr);
    for (int i = 0; i < inst.J; ++i) {
      if (i == j) continue;
      const Eigen::VectorXcd ai = ula(inst.Nt, inst.theta_ae_deg[i]), bi = ula(inst.Nr, inst.theta_ae_deg[i]);
      sigma += inst.L_s * std::norm(inst.alpha(i)) * hdot(ai, R_x * ai).real() * bi * bi.adjoint();
    }
    for (const auto& c : inst.clutter) {
      const Eigen::VectorXcd ac = ula(inst.Nt, c.theta_deg), bc = ula(inst.Nr, c.theta_deg);
      sigma += inst.L_s * std::norm(c.beta) * hdot(ac, R_x * ac).real() * bc * bc.adjoint();
    }
    const double closed = inst.L_s * std::norm(inst.alpha(j)) * hdot(a, R_x * a).real() * hdot(b, sigma.ldlt().solve(b)).real();
    EXPECT_LT(rel(best[j], closed), 1e-8) << j;
  }
  for (int trial = 0; trial < 20; ++trial) {
    const auto other = scnr(inst, R_x, Eigen::MatrixXcd::Random(inst.Nr, inst.J), Csi::truth);
    for (int j = 0; j < inst.J; ++j) EXPECT_LE(other[j], best[j] * (1 + 1e-10));
  }
  // evaluate() without U uses MVDR from the estimated angles (here equal to the true ones).
  const auto m = evaluate(inst, d);
  for (int j = 0; j < inst.J; ++j) EXPECT_LT(rel(m.scnr[j], best[j]), 1e-10);
}

TEST(ModelBGenerator, DefaultScenarioGeometryAndCoefficients) {
  Scenario s;
  s.L = 0;  // LoS only: h_k is exactly the scaled steering vector
  const Instance inst = generate(s, 1);
  EXPECT_EQ(inst.Nt, 32);
  EXPECT_EQ(inst.N_RF, 8);
  const double beta0 = db_to_linear(-30);
  const double user_gain = std::sqrt(beta0 * std::pow(200.0, -2.8));
  const double theta_user[] = {-50, -20, 20, 50};
  for (int k = 0; k < 4; ++k) EXPECT_LT((inst.h[k] - user_gain * ula(32, theta_user[k])).norm(), 1e-12 * user_gain);
  const double d_ae = std::sqrt(100.0 * 100 + 50 * 50);
  const double ae_gain = std::sqrt(beta0 * std::pow(d_ae, -2.2));
  EXPECT_EQ(inst.theta_ae_deg, (std::vector<double>{-35, 5}));
  for (int j = 0; j < 2; ++j) {
    EXPECT_LT((inst.g_true[j] - ae_gain * ula(32, inst.theta_ae_deg[j])).norm(), 1e-12 * ae_gain);
    EXPECT_LT(rel(std::norm(inst.alpha(j)), beta0 * beta0 * std::pow(d_ae, -4.4)), 1e-12);
  }
  ASSERT_EQ(inst.clutter.size(), 2u);
  EXPECT_EQ(inst.clutter[0].theta_deg, -70);
  EXPECT_EQ(inst.clutter[1].theta_deg, 70);
  for (const auto& c : inst.clutter) EXPECT_LT(rel(std::norm(c.beta), 10 * std::norm(inst.alpha(0))), 1e-12);
  EXPECT_NE(std::arg(inst.alpha(0)), std::arg(inst.alpha(1)));
}

TEST(ModelBGenerator, OtherCountsSpreadUsersAndDrawSeparatedAes) {
  Scenario s;
  s.K = 5;
  s.J = 6;
  EXPECT_EQ(user_angles_deg(s), (std::vector<double>{-60, -30, 0, 30, 60}));
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const Instance inst = generate(s, seed);
    ASSERT_EQ(inst.theta_ae_deg.size(), 6u);
    for (double t : inst.theta_ae_deg) {
      EXPECT_GE(t, -60);
      EXPECT_LT(t, 60);
      for (double u : user_angles_deg(s)) EXPECT_GE(std::abs(t - u), 3.0);
    }
  }
  EXPECT_NE(generate(s, 1).theta_ae_deg, generate(s, 2).theta_ae_deg);
  s.K = 1;
  EXPECT_EQ(user_angles_deg(s), std::vector<double>{0});
}

TEST(ModelBGenerator, NlosPowerMatchesKappa) {
  // E||h_k||^2 = beta0 d^-alpha Nt (1 + kappa): LoS plus L paths of total power kappa.
  Scenario s;
  s.Nt = 16;
  std::vector<double> samples;
  for (std::uint64_t seed = 0; seed < 300; ++seed)
    for (const auto& h : generate(s, seed).h) samples.push_back(h.squaredNorm() / (db_to_linear(-30) * std::pow(200.0, -2.8) * 16));
  double mean = 0, var = 0;
  for (double x : samples) mean += x;
  mean /= samples.size();
  for (double x : samples) var += (x - mean) * (x - mean);
  const double stderr_mean = std::sqrt(var / (samples.size() - 1) / samples.size());
  std::printf("E||h||^2 / (beta0 d^-alpha Nt) = %.4f (expected 1.1, 5 std errors %.4f, N = %zu)\n", mean, 5 * stderr_mean,
              samples.size());
  EXPECT_NEAR(mean, 1.0 + db_to_linear(-10), 5 * stderr_mean);
}

TEST(ModelBGenerator, AngleErrorOnlyChangesTheEstimates) {
  Scenario s;
  const Instance exact = generate(s, 3);
  EXPECT_EQ(exact.theta_ae_est_deg, exact.theta_ae_deg);
  s.angle_error_deg = 0.5;
  const Instance noisy = generate(s, 3);
  EXPECT_EQ(noisy.theta_ae_deg, exact.theta_ae_deg);
  EXPECT_EQ(noisy.alpha, exact.alpha);
  EXPECT_NE(noisy.theta_ae_est_deg, noisy.theta_ae_deg);
  for (int j = 0; j < 2; ++j) {
    EXPECT_LT(std::abs(noisy.theta_ae_est_deg[j] - noisy.theta_ae_deg[j]), 5 * 0.5);
    EXPECT_LT((noisy.g_est[j] / noisy.g_est[j](0) - ula(32, noisy.theta_ae_est_deg[j])).norm(), 1e-12);
  }
}

TEST(ModelBGenerator, ReproducibleAndScenarioByName) {
  const Scenario s;
  EXPECT_EQ(to_json(generate(s, 9)).dump(), to_json(generate(s, 9)).dump());
  EXPECT_NE(to_json(generate(s, 9)).dump(), to_json(generate(s, 10)).dump());
  Scenario t;
  for (const auto& p : scenario_parameters()) EXPECT_TRUE(to_json(t).contains(p.name)) << p.name;
  set_parameter(t, "J", 4);
  set_parameter(t, "theta_ae_deg", json::array());
  set_parameter(t, "clutter_deg", 80);
  EXPECT_EQ(to_json(scenario_from_json(to_json(t))), to_json(t));
  EXPECT_EQ(field_of([&] { set_parameter(t, "gamma_s_dB", 1); }), "gamma_s_dB");
  EXPECT_EQ(field_of([&] { set_parameter(t, "theta_ae_deg", json{10, 100}); }), "theta_ae_deg[1]");
  EXPECT_EQ(field_of([&] { set_parameter(t, "L_s", 0); }), "L_s");
  Scenario crowded;
  crowded.K = 40;
  crowded.J = 1;
  crowded.ae_min_separation_deg = 10;  // users every ~3 deg leave no room
  EXPECT_EQ(field_of([&] { generate(crowded, 1); }), "ae_min_separation_deg");
}

TEST(ModelBIo, InstanceAndDesignRoundTrip) {
  Scenario s;
  s.angle_error_deg = 1;
  const Instance a = generate(s, 5);
  const Instance b = instance_from_json(json::parse(to_json(a).dump()));
  EXPECT_EQ(to_json(a), to_json(b));
  EXPECT_EQ(b.g_est[1], a.g_est[1]);

  json no_estimates = to_json(a);
  no_estimates["channels"].erase("g_est");
  no_estimates["channels"].erase("theta_ae_est_deg");
  const Instance c = instance_from_json(no_estimates);
  EXPECT_EQ(c.theta_ae_est_deg, c.theta_ae_deg);
  EXPECT_EQ(c.g_est[0], c.g_true[0]);

  Design d = mrt_design(a);
  d.U = Eigen::MatrixXcd::Random(a.Nr, a.J);
  const Design e = design_from_json(json::parse(to_json(d).dump()), a);
  EXPECT_EQ(e.W, d.W);
  EXPECT_LT((e.R_s - d.R_s).norm(), 1e-15 * d.R_s.norm());
  EXPECT_EQ(e.U, d.U);
  const Design beams = design_from_beams(a, d.W, Eigen::MatrixXcd::Random(a.Nt, 3));
  const Design f = design_from_json(json::parse(to_json(beams).dump()), a);
  EXPECT_EQ(f.S, beams.S);
  EXPECT_LT((f.R_s - beams.S * beams.S.adjoint()).norm(), 1e-14 * f.R_s.norm());
}

TEST(ModelBIo, ValidationNamesTheField) {
  const json good = to_json(generate(Scenario{}, 3));
  auto with = [&](auto&& edit) {
    json j = good;
    edit(j);
    return field_of([&] { instance_from_json(j); });
  };
  EXPECT_EQ(with([](json& j) { j.erase("L_s"); }), "L_s");
  EXPECT_EQ(with([](json& j) { j["J"] = 3; }), "channels.g_true");
  EXPECT_EQ(with([](json& j) { j["channels"]["theta_ae_deg"][0] = 120; }), "channels.theta_ae_deg[0]");
  EXPECT_EQ(with([](json& j) { j["channels"]["h"][2]["im"][5] = "x"; }), "channels.h[2].im[5]");
  EXPECT_EQ(with([](json& j) { j["channels"]["clutter"][1].erase("beta"); }), "channels.clutter[1].beta");
  EXPECT_EQ(with([](json& j) { j["Nr"] = 0; }), "Nr");
  const Instance inst = instance_from_json(good);
  EXPECT_EQ(field_of([&] { design_from_json(json{{"W", {{"re", json::array()}, {"im", json::array()}}}}, inst); }), "W.re");
  json design = to_json(mrt_design(inst));
  design["R_s"]["re"][0][0] = -1.0;  // negative diagonal: not PSD
  EXPECT_EQ(field_of([&] { design_from_json(design, inst); }), "R_s");
}
