// The `isacbf` binary end to end: byte-identical generation, the generate -> design-mrt -> eval flow,
// and bad input -> exit code 2 with the offending field (and file) named on stderr.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "host/common/json_io.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/io.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using isacbf::testing::CliRun;
using isacbf::testing::run_isacbf;
using isacbf::testing::slurp;
fs::path work_dir() { return isacbf::testing::test_dir(); }

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string q(const fs::path& p) { return isacbf::testing::quoted(p); }

fs::path generated(const std::string& model, int seed, const std::string& extra = "") {
  const fs::path file = work_dir() / (model + "_" + std::to_string(seed) + ".json");
  const CliRun r = run_isacbf("generate --model " + model + " --seed " + std::to_string(seed) + " " + extra + " -o " + q(file));
  EXPECT_EQ(r.code, 0) << r.err;
  return file;
}

// Writes `doc` to a file, runs `command FILE [more]`, expects exit 2 and `field` and the file on stderr.
void expect_bad(const std::string& command, const std::string& text, const std::string& field, const std::string& more = "",
                bool file_is_second = false) {
  const fs::path file = work_dir() / "bad.json";
  write(file, text);
  const std::string args = file_is_second ? command + " " + more + " " + q(file) : command + " " + q(file) + " " + more;
  const CliRun r = run_isacbf(args);
  EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
  EXPECT_NE(r.err.find(field), std::string::npos) << "stderr does not name '" << field << "':\n" << r.err;
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << "stderr does not name the file:\n" << r.err;
}

json load(const fs::path& p) { return json::parse(slurp(p)); }

}  // namespace

TEST(Cli, SameSeedGivesByteIdenticalFiles) {
  for (const std::string model : {"target_eavesdropper", "aerial_eavesdroppers"}) {
    const fs::path a = generated(model, 5), b = work_dir() / "again.json", c = generated(model, 6);
    ASSERT_EQ(run_isacbf("generate --model " + model + " --seed 5 -o " + q(b)).code, 0);
    EXPECT_EQ(slurp(a), slurp(b)) << model;
    EXPECT_NE(slurp(a), slurp(c)) << model;
    EXPECT_EQ(load(a)["seed"], 5);
    EXPECT_EQ(load(a)["scenario"]["model"], model);
  }
}

TEST(Cli, ScenarioOptionsReachTheInstance) {
  const json a = load(generated("target_eavesdropper", 1, "--Nt 4 --K 2 --snr_offset_dB 30 --d_BU 20,40 --theta_t_deg -10"));
  EXPECT_EQ(a["Nt"], 4);
  EXPECT_EQ(a["K"], 2);
  EXPECT_EQ(a["sigma_b_dBm"], -130.0);
  EXPECT_EQ(a["scenario"]["d_BU"], json({20.0, 40.0}));
  const json b = load(generated("aerial_eavesdroppers", 1, "--Nt 8 --Nr 4 --J 3 --theta_ae_deg -10,0,10"));
  EXPECT_EQ(b["channels"]["theta_ae_deg"], json({-10.0, 0.0, 10.0}));
}

TEST(Cli, GenerateValidateDesignEvalFlow) {
  for (const std::string model : {"target_eavesdropper", "aerial_eavesdroppers"}) {
    const fs::path inst = generated(model, 2), design = work_dir() / "design.json";
    const CliRun v = run_isacbf("validate " + q(inst));
    EXPECT_EQ(v.code, 0) << v.err;
    EXPECT_NE(v.out.find("OK " + model), std::string::npos) << v.out;
    ASSERT_EQ(run_isacbf("design-mrt " + q(inst) + " -o " + q(design)).code, 0);
    const CliRun e = run_isacbf("eval " + q(inst) + " " + q(design) + " --pattern --pattern-step 2");
    ASSERT_EQ(e.code, 0) << e.err;
    const json m = json::parse(e.out);
    EXPECT_NEAR(m["power_dBm"].get<double>(), load(inst)["P_dBm"].get<double>(), 1e-9);
    EXPECT_GE(m["secrecy_rate"].get<double>(), 0.0);
    EXPECT_EQ(m["beam_pattern"]["theta_deg"].size(), 91u);
    EXPECT_TRUE(m.contains("constraints"));
  }
}

TEST(Cli, BadInstancesExitTwoNamingTheField) {
  const std::string good = slurp(generated("target_eavesdropper", 3));
  auto edited = [&](auto&& edit) {
    json j = json::parse(good);
    edit(j);
    return j.dump();
  };
  expect_bad("validate", good.substr(0, good.size() / 2), "invalid JSON");                                      // malformed
  expect_bad("validate", edited([](json& j) { j.erase("gamma_se_dB"); }), "gamma_se_dB");                      // missing
  expect_bad("validate", edited([](json& j) { j["channels"]["g"][1]["re"].erase(0); }), "channels.g[1].re");  // dimension
  expect_bad("validate", edited([](json& j) { j["gamma_s_dB"] = "NaN"; }), "gamma_s_dB");                     // NaN string
  expect_bad("validate", edited([](json& j) { j["sigma_u_dBm"] = nullptr; }), "sigma_u_dBm");                 // null
  std::string overflow = good;
  overflow.replace(overflow.find("\"P_dBm\": 18.0"), 13, "\"P_dBm\": 1e999");
  expect_bad("validate", overflow, "P_dBm");                                                                   // overflow
  expect_bad("validate", edited([](json& j) { j["model"] = "mystery"; }), "model");                           // unknown model
  expect_bad("validate", edited([](json& j) { j["K"] = 4; }), "channels.g");                                  // K mismatch
  expect_bad("validate", edited([](json& j) { j["Nt"] = 0; }), "Nt");                                         // bad count
  expect_bad("validate", edited([](json& j) {
               for (auto& x : j["channels"]["h_e"]["re"]) x = 0;
               j["channels"]["h_e"]["im"][1] = 0;
             }),
             "channels.h_e[1]");                                                                               // zero channel
  expect_bad("validate", edited([](json& j) { j["sigma_b_dBm"] = 1e300; }), "sigma_b_dBm");                  // absurd noise
  const json b = load(generated("aerial_eavesdroppers", 3));
  json bad_b = b;
  bad_b["channels"]["theta_ae_deg"][1] = 95;
  expect_bad("validate", bad_b.dump(), "channels.theta_ae_deg[1]");                                          // angle range
  bad_b = b;
  bad_b["channels"]["alpha"]["re"].push_back(1.0);
  expect_bad("validate", bad_b.dump(), "channels.alpha.re");                                                 // J mismatch

  const CliRun missing = run_isacbf("validate /nonexistent/instance.json");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/instance.json"), std::string::npos) << missing.err;
}

TEST(Cli, BadDesignsExitTwoNamingTheField) {
  const fs::path inst = generated("target_eavesdropper", 4), design = work_dir() / "mrt.json";
  ASSERT_EQ(run_isacbf("design-mrt " + q(inst) + " -o " + q(design)).code, 0);
  const json good = load(design);
  auto edited = [&](auto&& edit) {
    json j = good;
    edit(j);
    return j.dump();
  };
  expect_bad("eval " + q(inst), edited([](json& j) { j["Q"][1]["re"][0][1] = 5.0; }), "Q[1]", "", true);     // non-Hermitian
  expect_bad("eval " + q(inst), edited([](json& j) { j["S"]["re"].erase(0); }), "S.re", "", true);           // wrong dims
  expect_bad("eval " + q(inst), edited([](json& j) { j["Q"].erase(2); }), "Q", "", true);                    // K mismatch
  expect_bad("eval " + q(inst), edited([](json& j) {
               for (auto& row : j["S"]["re"]) for (auto& x : row) x = -x.get<double>();
             }),
             "S", "", true);                                                                                  // not PSD
  expect_bad("eval " + q(inst), edited([](json& j) { j["model"] = "aerial_eavesdroppers"; }), "model", "", true);

  const fs::path b = generated("aerial_eavesdroppers", 4);
  ASSERT_EQ(run_isacbf("design-mrt " + q(b) + " -o " + q(design)).code, 0);
  json bad_b = load(design);
  bad_b["W"]["im"].erase(0);
  expect_bad("eval " + q(b), bad_b.dump(), "W.im", "", true);
}

TEST(Cli, BadGenerateOptionsExitTwo) {
  const fs::path out = work_dir() / "x.json";
  const CliRun wrong_model = run_isacbf("generate --model target_eavesdropper --seed 1 --J 3 -o " + q(out));
  EXPECT_EQ(wrong_model.code, 2);
  EXPECT_NE(wrong_model.err.find("'J'"), std::string::npos) << wrong_model.err;
  const CliRun bad_list = run_isacbf("generate --model target_eavesdropper --seed 1 --d_BU 30,-5 -o " + q(out));
  EXPECT_EQ(bad_list.code, 2);
  EXPECT_NE(bad_list.err.find("d_BU[1]"), std::string::npos) << bad_list.err;
  const CliRun unknown = run_isacbf("generate --model model_c --seed 1 -o " + q(out));
  EXPECT_EQ(unknown.code, 2);
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, ScenarioFileIsAppliedAndOptionsOverrideIt) {
  const fs::path scenario = work_dir() / "scenario.json", out = work_dir() / "inst.json";
  write(scenario, R"({"model": "target_eavesdropper", "Nt": 6, "K": 2, "gamma_s_dB": 3})");
  const CliRun r = run_isacbf("generate --model target_eavesdropper --seed 3 --scenario " + q(scenario) + " --K 4 -o " + q(out));
  ASSERT_EQ(r.code, 0) << r.err;
  const json inst = load(out);
  EXPECT_EQ(inst["Nt"], 6);
  EXPECT_EQ(inst["K"], 4);
  EXPECT_EQ(inst["gamma_s_dB"], 3.0);
  write(scenario, R"({"Nt": 6, "Nq": 2})");
  const CliRun bad = run_isacbf("generate --model target_eavesdropper --seed 3 --scenario " + q(scenario) + " -o " + q(out));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("'Nq'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("scenario.json"), std::string::npos) << bad.err;
}

TEST(Cli, FileEqualsTheLibraryGeneratorOutput) {
  // The CLI adds nothing random: the file is the library instance plus its scenario, byte for byte.
  isacbf::model_b::Scenario s;
  s.J = 3;
  s.theta_ae_deg = {};
  json doc = isacbf::model_b::to_json(isacbf::model_b::generate(s, 12));
  doc["scenario"] = isacbf::model_b::to_json(s);
  EXPECT_EQ(slurp(generated("aerial_eavesdroppers", 12, "--J 3 --theta_ae_deg []")), isacbf::json_io::dump(doc));
}
