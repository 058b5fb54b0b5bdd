// Input the CLI audit found accepted or mis-reported: channels whose squares overflow, degenerate
// model-B designs, generator scenarios whose path losses leave the doubles, extreme sizes and trial
// counts, unknown and duplicate JSON keys. Each must be InputError naming the field (exit 2 at the CLI).
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "host/common/json_io.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/simple_designs.hpp"
#include "host/model_b/angle_estimation.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/simple_designs.hpp"
#include "input_error_field.hpp"
#include "model_b_test_scenarios.hpp"

namespace {

using isacbf::testing::field_of;
using nlohmann::json;
namespace a = isacbf::model_a;
namespace b = isacbf::model_b;
namespace ji = isacbf::json_io;

json instance_a() { return a::to_json(a::generate(a::Scenario{}, 1)); }
json instance_b() { return b::to_json(b::generate(b::fixtures::small_scenario(1), 1)); }

std::string read_a(const json& j) { return field_of([&] { a::instance_from_json(j); }); }
std::string read_b(const json& j) { return field_of([&] { b::instance_from_json(j); }); }

// Message of the InputError f throws ("" when none).
template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const isacbf::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(InputLimits, ModelAChannelsWhoseSquaresOverflowAreRejected) {
  json j = instance_a();
  j["channels"]["h_ce"]["re"][1] = 1e80;  // finite, squared norm finite, but ||h_ce||^4 P / sigma_b^2 is not
  EXPECT_EQ(read_a(j), "channels.h_ce");
  j = instance_a();
  j["channels"]["g"][0]["re"][1] = 1e160;
  EXPECT_EQ(read_a(j), "channels.g[0]");
  j = instance_a();
  j["channels"]["h_e"]["re"][2] = 1e160;
  EXPECT_EQ(read_a(j), "channels.h_e[2]");
  EXPECT_EQ(read_a(instance_a()), "<no error>");
}

TEST(InputLimits, ModelBChannelsAndRadarCoefficientsAreChecked) {
  json j = instance_b();
  j["channels"]["g_true"][0]["re"][1] = 1e160;
  EXPECT_EQ(read_b(j), "channels.g_true[0]");
  j = instance_b();
  j["channels"]["h"][0]["re"][0] = 1e160;
  EXPECT_EQ(read_b(j), "channels.h[0]");
  j = instance_b();
  j["channels"]["alpha"]["re"][0] = 1e300;
  EXPECT_EQ(read_b(j), "channels.alpha");
  j = instance_b();
  j["channels"]["alpha"] = {{"re", {0.0}}, {"im", {0.0}}};  // no reflection: SCNR identically zero
  EXPECT_EQ(read_b(j), "channels.alpha");
  j = instance_b();
  j["channels"]["clutter"][0]["beta"]["re"] = 1e300;
  EXPECT_EQ(read_b(j), "channels.clutter[0].beta");
  EXPECT_EQ(read_b(instance_b()), "<no error>");
}

TEST(InputLimits, ModelBMoreRfChainsThanAntennasIsRejected) {
  json j = instance_b();
  j["N_RF"] = j["Nt"].get<int>() + 1;
  EXPECT_EQ(read_b(j), "N_RF");
  j["N_RF"] = j["Nt"];
  EXPECT_EQ(read_b(j), "<no error>");
}

TEST(InputLimits, ModelBDesignsMustHaveFinitePowersAndNonzeroReceivers) {
  const b::Instance inst = b::instance_from_json(instance_b());
  const json good = b::to_json(b::mrt_design(inst));
  json d = good;
  d["U"] = ji::to_json(Eigen::MatrixXcd(Eigen::MatrixXcd::Zero(inst.Nr, inst.J)));
  EXPECT_EQ(field_of([&] { b::design_from_json(d, inst); }), "U");
  d = good;
  d["W"]["re"][0][0] = 1e200;
  EXPECT_EQ(field_of([&] { b::design_from_json(d, inst); }), "W");
  d = good;
  d["R_s"]["re"][0][0] = 1e200;
  EXPECT_EQ(field_of([&] { b::design_from_json(d, inst); }), "R_s");
  EXPECT_EQ(field_of([&] { b::design_from_json(good, inst); }), "<no error>");
}

TEST(InputLimits, ModelADesignWithOverflowingNormIsRejected) {
  const a::Instance inst = a::instance_from_json(instance_a());
  json d = a::to_json(a::mrt_design(inst));
  d["Q"][0]["re"][0][0] = 1e200;
  EXPECT_EQ(field_of([&] { a::design_from_json(d, inst); }), "Q[0]");
}

TEST(InputLimits, ScenarioPathLossesMustBeFinitePositiveNamingTheInput) {
  auto set_a = [](const char* name, const json& value) {
    return field_of([&] {
      a::Scenario s;
      a::set_parameter(s, name, value);
    });
  };
  EXPECT_EQ(set_a("d_BU", 1e-300), "d_BU[0]");
  EXPECT_EQ(set_a("d0", 1e300), "d0");
  EXPECT_EQ(set_a("d_UT", 1e-300), "d_UT[0]");
  EXPECT_EQ(set_a("snr_offset_dB", 1000), "snr_offset_dB");  // sigma_b_dBm - 1000 leaves +-1000 dBm
  EXPECT_EQ(set_a("d0", 2.0), "<no error>");
  auto set_b = [](const char* name, const json& value) {
    return field_of([&] {
      b::Scenario s;
      b::set_parameter(s, name, value);
    });
  };
  EXPECT_EQ(set_b("kappa_dB", 1e300), "kappa_dB");
  EXPECT_EQ(set_b("ae_horizontal_m", 1e300), "ae_horizontal_m");
  EXPECT_EQ(set_b("d_user", 1e-300), "d_user[0]");
  EXPECT_EQ(set_b("kappa_dB", 3.0), "<no error>");
}

TEST(InputLimits, ModelBCountMessagesStateTheRealRange) {
  b::Scenario s;
  EXPECT_NE(message_of([&] { b::set_parameter(s, "K", 0); }).find("[1, 1024]"), std::string::npos);
  EXPECT_NE(message_of([&] { b::set_parameter(s, "J", 2000); }).find("[0, 1024]"), std::string::npos);
}

TEST(InputLimits, DbValuesOutOfRangeArePrintedShort) {
  json j = instance_a();
  j["P_dBm"] = 1e308;
  const std::string msg = message_of([&] { a::instance_from_json(j); });
  EXPECT_NE(msg.find("1e+308"), std::string::npos) << msg;
  EXPECT_LT(msg.size(), 200u) << msg;
}

TEST(InputLimits, EchoSizeAndTrialsAreBounded) {
  b::Instance inst = b::instance_from_json(instance_b());
  const b::Design design = b::mrt_design(inst);
  inst.L_s = 1 << 30;
  EXPECT_EQ(field_of([&] { b::check_echo_size(inst); }), "L_s");
  EXPECT_EQ(field_of([&] { b::simulate_echo(inst, design, 1); }), "L_s");
  inst.L_s = 64;
  EXPECT_EQ(field_of([&] { b::check_echo_size(inst); }), "<no error>");
  EXPECT_EQ(field_of([&] { b::angle_rmse_deg(inst, design, b::Estimator::music, b::kMaxTrials + 1, 1); }), "trials");
}

TEST(InputLimits, UnknownKeysAreRejectedWithTheirPath) {
  auto with = [](json j, const std::function<void(json&)>& edit) {
    edit(j);
    return j;
  };
  EXPECT_EQ(read_a(with(instance_a(), [](json& j) { j["foo"] = 1; })), "foo");
  EXPECT_EQ(read_a(with(instance_a(), [](json& j) { j["channels"]["foo"] = 1; })), "channels.foo");
  EXPECT_EQ(read_a(with(instance_a(), [](json& j) { j["channels"]["g"][0]["foo"] = 1; })), "channels.g[0].foo");
  EXPECT_EQ(read_a(with(instance_a(), [](json& j) { j["scenario"] = json::object(); })), "<no error>");
  EXPECT_EQ(read_b(with(instance_b(), [](json& j) { j["N_rf"] = 2; })), "N_rf");
  EXPECT_EQ(read_b(with(instance_b(), [](json& j) { j["channels"]["clutter"][0]["foo"] = 1; })), "channels.clutter[0].foo");
  const a::Instance ia = a::instance_from_json(instance_a());
  EXPECT_EQ(field_of([&] { a::design_from_json(with(a::to_json(a::mrt_design(ia)), [](json& j) { j["X"] = 1; }), ia); }), "X");
  const b::Instance ib = b::instance_from_json(instance_b());
  EXPECT_EQ(field_of([&] { b::design_from_json(with(b::to_json(b::mrt_design(ib)), [](json& j) { j["V"] = 1; }), ib); }), "V");
}

TEST(InputLimits, DuplicateKeysAreRejectedNamingTheKey) {
  EXPECT_EQ(field_of([] { ji::parse_text(R"({"Nt": 8, "K": 3, "Nt": 4})"); }), "Nt");
  EXPECT_EQ(field_of([] { ji::parse_text(R"({"channels": {"g": [], "g": []}})"); }), "channels.g");
  EXPECT_EQ(field_of([] { ji::parse_text(R"([{"a": 1}, {"a": 2}])"); }), "<no error>");
}

TEST(InputLimits, ADirectoryIsNotAJsonFile) {
  const std::string msg = message_of([] { ji::parse_file(ISACBF_SOURCE_DIR); });
  EXPECT_NE(msg.find("directory"), std::string::npos) << msg;
}
