// `isacbf solve-b`: the model-B result contract of formats.md (required keys, exit codes), infeasible
// instances as normal results, bad input exits 2 naming the field. Skips without python3-cvxopt only
// where the default solver matters (the ADMM path is used explicitly otherwise).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct CliRun {
  int code;
  std::string out, err;
};

fs::path process_dir() { return fs::temp_directory_path() / ("isacbf_test_cli_b_" + std::to_string(::getpid())); }

struct ScratchCleanup : ::testing::Environment {
  void TearDown() override { fs::remove_all(process_dir()); }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

fs::path scratch() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = process_dir() / info->name();
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CliRun run_isacbf(const std::string& args) {
  const fs::path dir = scratch();
  const std::string cmd = std::string("'") + ISACBF_BINARY + "' " + args + " >'" + (dir / "stdout").string() + "' 2>'" +
                          (dir / "stderr").string() + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout"), slurp(dir / "stderr")};
}

std::string small_instance() {
  const fs::path file = scratch() / "inst.json";
  const CliRun r = run_isacbf("generate --model aerial_eavesdroppers --seed 1 --Nt 8 --Nr 8 --K 2 --J 1 --Ns 2 --N_RF 6 "
                              "--theta_user_deg=-30,30 --theta_ae_deg 5 -o '" + file.string() + "'");
  EXPECT_EQ(r.code, 0) << r.err;
  return file.string();
}

}  // namespace

TEST(CliSolveB, DigitalResultHasEveryRequiredKey) {
  const std::string inst = small_instance();
  const CliRun r = run_isacbf("solve-b '" + inst + "' --solver admm");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"status", "secrecy_rate", "sum_rate", "rate_user", "max_eve_sinr_dB", "scnr_dB", "power_W",
                          "iterations", "objective_trace", "sensing_beams", "sensing_beam_bound", "solve_seconds", "backend"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_EQ(j["backend"], "cpu");
  EXPECT_EQ(j["rate_user"].size(), 2u);
  EXPECT_EQ(j["scnr_dB"].size(), 1u);
  EXPECT_GE(j["scnr_dB"][0].get<double>(), 10.0 - 1e-3);  // Gamma_s = 10 dB, true = estimated CSI here
  EXPECT_LE(j["power_W"].get<double>(), 1.0 * (1 + 1e-6));  // P = 30 dBm
}

TEST(CliSolveB, InfeasibleIsANormalResult) {
  const std::string inst = small_instance();
  const CliRun r = run_isacbf("solve-b '" + inst + "' --scheme comm_only_strict --solver admm");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["status"], "infeasible");
}

TEST(CliSolveB, BadInputExitsTwoNamingTheField) {
  const std::string inst = small_instance();
  CliRun r = run_isacbf("solve-b '" + inst + "' --scheme nonsense");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--scheme"), std::string::npos) << r.err;
  r = run_isacbf("solve-b '" + inst + "' --scheme had --n-rf 9");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--n-rf"), std::string::npos) << r.err;
  r = run_isacbf("solve-b '" + inst + "' --solver magic");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--solver"), std::string::npos) << r.err;
  r = run_isacbf("solve-b '" + (scratch() / "missing.json").string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
}
