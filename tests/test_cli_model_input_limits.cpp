// The CLI audit's end-to-end cases: output that cannot be written fails (exit 1), bounded work
// (pattern step, echo size, trials) and bad options exit 2 naming the option, an infeasible design in
// estimate-b is a normal result (exit 0, status infeasible).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"

namespace fs = std::filesystem;

namespace {

using isacbf::testing::CliRun;
using isacbf::testing::quoted;
using isacbf::testing::run_isacbf;
using isacbf::testing::test_dir;

// A generated instance in this test's directory.
std::string generated(const std::string& name, const std::string& options) {
  const fs::path file = test_dir() / name;
  const CliRun r = run_isacbf("generate " + options + " --seed 1 -o " + quoted(file));
  EXPECT_EQ(r.code, 0) << r.err;
  return quoted(file);
}
std::string small_a() { return generated("a.json", "--model target_eavesdropper --Nt 4 --K 2"); }
std::string small_b(const std::string& extra = "") {
  return generated("b.json", "--model aerial_eavesdroppers --Nt 8 --Nr 8 --K 2 --J 1 --Ns 2 --N_RF 0 --L_s 64 "
                             "--theta_user_deg=-30,30 --theta_ae_deg 5 " + extra);
}

void expect_bad(const CliRun& r, const std::string& field) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
}

// Exit status of `isacbf ARGS > /dev/full` (run_isacbf sends stdout to a file).
int exit_with_stdout_full(const std::string& args) {
  const std::string cmd = quoted(ISACBF_BINARY) + " " + args + " >/dev/full 2>" + quoted(test_dir() / "stderr");
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(CliModelInputLimits, OutputThatCannotBeWrittenFails) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::string a = small_a(), b = small_b();
  const fs::path design = test_dir() / "mrt.json";
  ASSERT_EQ(run_isacbf("design-mrt " + b + " -o " + quoted(design)).code, 0);
  EXPECT_EQ(run_isacbf("solve " + a + " -o /dev/full").code, 1);
  EXPECT_EQ(run_isacbf("estimate-b " + b + " --design " + quoted(design) + " --trials 1 --offsets-dB 0 -o /dev/full").code, 1);
  EXPECT_EQ(run_isacbf("generate --model target_eavesdropper --seed 1 -o /dev/full").code, 1);
  EXPECT_EQ(exit_with_stdout_full("validate " + a), 1);
  EXPECT_EQ(exit_with_stdout_full("generate --model target_eavesdropper --seed 1 -o -"), 1);
}

TEST(CliModelInputLimits, PatternStepIsBounded) {
  const std::string a = small_a();
  const fs::path design = test_dir() / "mrt.json";
  ASSERT_EQ(run_isacbf("design-mrt " + a + " -o " + quoted(design)).code, 0);
  expect_bad(run_isacbf("eval " + a + " " + quoted(design) + " --pattern --pattern-step 1e-7"), "pattern-step");
  expect_bad(run_isacbf("eval " + a + " " + quoted(design) + " --pattern --pattern-step 1e-9"), "pattern-step");
  const CliRun ok = run_isacbf("eval " + a + " " + quoted(design) + " --pattern --pattern-step 0.5");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(nlohmann::json::parse(ok.out)["beam_pattern"]["theta_deg"].size(), 361u);
}

TEST(CliModelInputLimits, EstimateBBoundsItsWork) {
  const std::string b = small_b();
  const fs::path design = test_dir() / "mrt.json";
  ASSERT_EQ(run_isacbf("design-mrt " + b + " -o " + quoted(design)).code, 0);
  const std::string run = "estimate-b " + b + " --design " + quoted(design);
  expect_bad(run_isacbf(run + " --trials 1000000000 --offsets-dB 0"), "trials");
  expect_bad(run_isacbf(run + " --offsets-dB nan"), "offsets-dB");
  expect_bad(run_isacbf(run + " --seed -1"), "seed");
  const std::string huge = generated("huge.json", "--model aerial_eavesdroppers --Nt 8 --Nr 8 --K 2 --J 1 --N_RF 0 --L_s 1000000000");
  const CliRun r = run_isacbf("estimate-b " + huge + " --trials 1 --offsets-dB 0");
  expect_bad(r, "L_s");
  EXPECT_NE(r.err.find("huge.json"), std::string::npos) << r.err;
}

TEST(CliModelInputLimits, EstimateBWithAnInfeasibleDigitalDesignIsANormalResult) {
  const std::string b = small_b("--Gamma_s_dB 200");  // SCNR threshold out of reach
  const CliRun r = run_isacbf("estimate-b " + b + " --trials 1 --offsets-dB 0");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "infeasible");
  EXPECT_TRUE(j["message"].is_string());
}

TEST(CliModelInputLimits, BadOptionsNameTheOption) {
  expect_bad(run_isacbf("generate --model target_eavesdropper --seed -1 -o -"), "seed");
  expect_bad(run_isacbf("solve-b " + small_b() + " --delta inf"), "delta");
  expect_bad(run_isacbf("solve-b " + small_b() + " --delta 1e400"), "delta");
  expect_bad(run_isacbf("generate --model aerial_eavesdroppers --seed 1 --Nt 8 --N_RF 9 -o -"), "N_RF");
  expect_bad(run_isacbf("generate --model target_eavesdropper --seed 1 --d_BU 1e-300 -o -"), "d_BU");
  expect_bad(run_isacbf("generate --model aerial_eavesdroppers --seed 1 --kappa_dB 1e300 -o -"), "kappa_dB");
}

TEST(CliModelInputLimits, FilesThatAreNotInstancesSaySo) {
  const CliRun dir = run_isacbf("validate " + quoted(test_dir()));
  EXPECT_EQ(dir.code, 2);
  EXPECT_NE(dir.err.find("directory"), std::string::npos) << dir.err;
  const fs::path dup = test_dir() / "dup.json";
  std::ofstream(dup) << R"({"model": "target_eavesdropper", "model": "target_eavesdropper"})";
  expect_bad(run_isacbf("validate " + quoted(dup)), "'model': duplicate key");
}
