// Model A generator statistics and reproducibility, scenario parameters by name, JSON round trips
// and instance validation.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_a/simple_designs.hpp"
#include "tests/input_error_field.hpp"

using namespace isacbf;
using namespace isacbf::model_a;
using nlohmann::json;

namespace {
using isacbf::testing::field_of;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

TEST(ModelAGenerator, RayleighPowerMatchesPathLossPerUser) {
  // |g_k,n|^2 / PL(d_BU,k) ~ Exp(1): sample mean within 5 standard errors (1/sqrt(N)) of 1.
  Scenario s;
  s.d_BU = {20, 30, 45};
  const int seeds = 400;
  std::vector<double> sum(3, 0.0);
  for (int seed = 0; seed < seeds; ++seed) {
    const Instance inst = generate(s, static_cast<std::uint64_t>(seed));
    for (int k = 0; k < 3; ++k) sum[k] += inst.g[k].squaredNorm();
  }
  const double n = seeds * s.Nt;
  for (int k = 0; k < 3; ++k) {
    const double ratio = sum[k] / n / path_loss(-30, 1, s.d_BU[k], 3.3);
    std::printf("user %d: d_BU = %g m, sample mean |g|^2 / PL = %.4f over %g draws (5-sigma bound %.4f)\n", k, s.d_BU[k],
                ratio, n, 5 / std::sqrt(n));
    EXPECT_NEAR(ratio, 1.0, 5 / std::sqrt(n)) << k;
  }
}

TEST(ModelAGenerator, TargetChannelIsScaledSteeringVector) {
  Scenario s;
  s.theta_t_deg = 10;
  s.rcs = 2;
  s.Nt = 6;
  const Instance inst = generate(s, 11);
  const double beta = std::sqrt(2 * db_to_linear(-30) * std::pow(1.0 / 50, 2));
  for (int n = 0; n < 6; ++n) {
    EXPECT_NEAR(std::abs(inst.h_ce(n)), beta, 1e-12 * beta);
    const std::complex<double> expected = std::polar(beta, kPi * n * std::sin(10 * kPi / 180));
    EXPECT_LT(std::abs(inst.h_ce(n) - expected), 1e-12 * beta) << n;
  }
}

TEST(ModelAGenerator, EveToUserChannelHasPathLossMagnitudeAndUniformPhase) {
  const Scenario s;
  std::complex<double> phasor_sum{};
  const int seeds = 2000;
  for (int seed = 0; seed < seeds; ++seed) {
    const Instance inst = generate(s, static_cast<std::uint64_t>(seed));
    for (int k = 0; k < 3; ++k) {
      const double expected = std::sqrt(path_loss(-30, 1, s.d_UT[k], 2.3));
      ASSERT_NEAR(std::abs(inst.h_e(k)), expected, 1e-12 * expected);
      phasor_sum += inst.h_e(k) / std::abs(inst.h_e(k));
    }
  }
  // E[e^{j phi}] = 0 for phi ~ U[0, 2 pi); each component has variance 1/2.
  EXPECT_LT(std::abs(phasor_sum) / (3 * seeds), 5 / std::sqrt(3.0 * seeds));
}

TEST(ModelAGenerator, SameSeedSameInstanceDifferentSeedDifferent) {
  const Scenario s;
  EXPECT_EQ(to_json(generate(s, 77)).dump(), to_json(generate(s, 77)).dump());
  EXPECT_NE(to_json(generate(s, 77)).dump(), to_json(generate(s, 78)).dump());
  EXPECT_EQ(generate(s, 77).seed.value(), 77u);
}

TEST(ModelAGenerator, SnrOffsetLowersEveryNoise) {
  Scenario s;
  s.snr_offset_dB = 30;
  const Instance inst = generate(s, 1);
  EXPECT_DOUBLE_EQ(inst.sigma_u_dBm, -110);
  EXPECT_DOUBLE_EQ(inst.sigma_t_dBm, -110);
  EXPECT_DOUBLE_EQ(inst.sigma_b_dBm, -130);
  EXPECT_DOUBLE_EQ(inst.snr_offset_dB, 30);
}

TEST(ModelAScenario, DistanceListsCycleWhenKDiffers) {
  Scenario s;
  set_parameter(s, "K", 5);
  const Instance inst = generate(s, 1);
  ASSERT_EQ(inst.K, 5);
  const double d_ut[] = {25, 25, 30, 25, 25};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(std::abs(inst.h_e(k)), std::sqrt(path_loss(-30, 1, d_ut[k], 2.3)), 1e-15);
  set_parameter(s, "d_BU", 40);  // one number: every user
  EXPECT_EQ(s.d_BU, std::vector<double>{40});
}

TEST(ModelAScenario, ParametersByNameRoundTripAndRejectUnknownOrBad) {
  Scenario s;
  for (const auto& p : scenario_parameters()) EXPECT_TRUE(to_json(s).contains(p.name)) << p.name;
  EXPECT_EQ(to_json(s).size(), scenario_parameters().size() + 1);  // + "model"
  set_parameter(s, "Nt", 12);
  set_parameter(s, "gamma_s_dB", 25.5);
  set_parameter(s, "d_UT", json{10, 20});
  EXPECT_EQ(to_json(scenario_from_json(to_json(s))), to_json(s));
  EXPECT_EQ(field_of([&] { set_parameter(s, "Nr", 4); }), "Nr");
  EXPECT_EQ(field_of([&] { set_parameter(s, "Nt", 0); }), "Nt");
  EXPECT_EQ(field_of([&] { set_parameter(s, "Nt", 2.5); }), "Nt");
  EXPECT_EQ(field_of([&] { set_parameter(s, "d_BT", -1); }), "d_BT");
  EXPECT_EQ(field_of([&] { set_parameter(s, "d_BU", json{30, 0}); }), "d_BU[1]");
  EXPECT_EQ(field_of([&] { set_parameter(s, "P_dBm", "high"); }), "P_dBm");
  EXPECT_EQ(s.Nt, 12);  // unchanged by the failed calls
}

TEST(ModelAIo, InstanceJsonRoundTripIsExact) {
  const Instance a = generate(Scenario{}, 3);
  const Instance b = instance_from_json(json::parse(to_json(a).dump()));
  EXPECT_EQ(to_json(a), to_json(b));
  for (int k = 0; k < a.K; ++k) EXPECT_EQ(a.g[k], b.g[k]);
  EXPECT_EQ(a.h_ce, b.h_ce);
  EXPECT_EQ(a.h_e, b.h_e);
  EXPECT_EQ(b.seed.value(), 3u);
}

TEST(ModelAIo, DesignJsonRoundTripAndBeamformerForm) {
  const Instance inst = generate(Scenario{}, 3);
  const Design d = mrt_design(inst);
  const Design e = design_from_json(json::parse(to_json(d).dump()), inst);
  for (int k = 0; k < inst.K; ++k) EXPECT_LT((d.Q[k] - e.Q[k]).norm(), 1e-15 * d.Q[k].norm());
  EXPECT_LT((d.S - e.S).norm(), 1e-15 * d.S.norm());

  json beams{{"w", json::array()}};
  std::vector<Eigen::VectorXcd> w;
  for (int k = 0; k < inst.K; ++k) {
    w.push_back(Eigen::VectorXcd::Random(inst.Nt));
    beams["w"].push_back({{"re", std::vector<double>(inst.Nt)}, {"im", std::vector<double>(inst.Nt)}});
    for (int n = 0; n < inst.Nt; ++n) {
      beams["w"][k]["re"][n] = w[k](n).real();
      beams["w"][k]["im"][n] = w[k](n).imag();
    }
  }
  const Design f = design_from_json(beams, inst);  // S omitted: zero
  EXPECT_EQ(f.S.norm(), 0.0);
  for (int k = 0; k < inst.K; ++k) EXPECT_LT((f.Q[k] - w[k] * w[k].adjoint()).norm(), 1e-14 * f.Q[k].norm());
}

TEST(ModelAIo, ValidationNamesTheField) {
  const json good = to_json(generate(Scenario{}, 3));
  auto with = [&](auto&& edit) {
    json j = good;
    edit(j);
    return field_of([&] { instance_from_json(j); });
  };
  EXPECT_EQ(with([](json& j) { j.erase("P_dBm"); }), "P_dBm");
  EXPECT_EQ(with([](json& j) { j["model"] = "other"; }), "model");
  EXPECT_EQ(with([](json& j) { j["K"] = 4; }), "channels.g");
  EXPECT_EQ(with([](json& j) { j["channels"]["g"][1]["re"].erase(0); }), "channels.g[1].re");
  EXPECT_EQ(with([](json& j) { j["channels"]["h_e"]["im"][2] = nullptr; }), "channels.h_e.im[2]");
  EXPECT_EQ(with([](json& j) {
              for (auto& x : j["channels"]["h_ce"]["re"]) x = 0;
              for (auto& x : j["channels"]["h_ce"]["im"]) x = 0;
            }),
            "channels.h_ce");
  EXPECT_EQ(with([](json& j) { j["sigma_b_dBm"] = 1e308 * 10; }), "sigma_b_dBm");  // inf -> null in JSON
  EXPECT_EQ(with([](json& j) { j["gamma_s_dB"] = 5000; }), "gamma_s_dB");
  EXPECT_EQ(with([](json& j) { j["Nt"] = -1; }), "Nt");
  EXPECT_EQ(field_of([] { read_instance("/nonexistent/a.json"); }), "<file>");
}
