// `isacbf solve-b`: the model-B result contract of formats.md (required keys, exit codes), infeasible
// instances as normal results, bad input exits 2 naming the field. Skips without python3-cvxopt only
// where the default solver matters (the ADMM path is used explicitly otherwise).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"

namespace fs = std::filesystem;

namespace {

using isacbf::testing::CliRun;
using isacbf::testing::run_isacbf;
using isacbf::testing::slurp;
fs::path scratch() { return isacbf::testing::test_dir(); }

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

// `isacbf solve` takes model-B files too (formats.md): the same runner as solve-b, scheme `proposed`
// picking HAD when the instance has RF chains and the digital design otherwise.
namespace {

std::string generated(const std::string& name, const std::string& options) {
  const fs::path file = scratch() / name;
  const CliRun r = run_isacbf("generate " + options + " -o '" + file.string() + "'");
  EXPECT_EQ(r.code, 0) << r.err;
  return file.string();
}

std::string digital_instance() {
  return generated("digital.json", "--model aerial_eavesdroppers --seed 2 --Nt 8 --Nr 8 --K 2 --J 1 --Ns 2 --N_RF 0 "
                                   "--theta_user_deg=-30,30 --theta_ae_deg 5");
}

// The result JSON of a run that must succeed (null, with a failure recorded, otherwise).
nlohmann::json solved(const std::string& args) {
  const CliRun r = run_isacbf(args);
  EXPECT_EQ(r.code, 0) << args << "\n" << r.err;
  return r.code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

void expect_same_design(const nlohmann::json& a, const nlohmann::json& b) {
  EXPECT_EQ(a["status"], b["status"]);
  EXPECT_EQ(a["iterations"], b["iterations"]);
  EXPECT_EQ(a["sensing_beams"], b["sensing_beams"]);
  EXPECT_DOUBLE_EQ(a["secrecy_rate"].get<double>(), b["secrecy_rate"].get<double>());
  EXPECT_DOUBLE_EQ(a["sum_rate"].get<double>(), b["sum_rate"].get<double>());
}

}  // namespace

TEST(CliSolveModelB, SolveGivesTheDigitalDesignOfSolveB) {
  const std::string inst = digital_instance();
  const auto a = solved("solve '" + inst + "' --eps 1e-6");
  const auto b = solved("solve-b '" + inst + "' --scheme digital");
  EXPECT_EQ(a["status"], "optimal");
  expect_same_design(a, b);
}

TEST(CliSolveModelB, ProposedIsHadWhenTheInstanceHasRfChains) {
  const std::string inst = small_instance();  // N_RF 6, Ns 2
  const auto a = solved("solve '" + inst + "' --backend cpu");
  const auto b = solved("solve-b '" + inst + "' --scheme had");
  EXPECT_EQ(a["sensing_beams"], 2);  // HAD reports Ns; the digital design would report the rank of R_s
  expect_same_design(a, b);
}

// A directory of HAD instances runs as one lockstep batch (model_b::solve_instances): each result is
// the design the instance gets alone.
TEST(CliSolveModelB, HadDirectoryIsOneBatchWithTheDesignsOfSingleRuns) {
  const fs::path dir = scratch() / "had_dir";
  fs::create_directories(dir);
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string n = std::to_string(seed);
    std::string options = "--model aerial_eavesdroppers --seed ";
    options += n;
    options += " --Nt 8 --Nr 8 --K 2 --J 1 --Ns 1 --N_RF 6 --theta_user_deg=-30,30 --theta_ae_deg 5";
    generated((fs::path("had_dir") / ("i" + n + ".json")).string(), options);
  }
  const auto batch = solved("solve '" + dir.string() + "' --backend cpu");
  ASSERT_TRUE(batch.is_array());
  ASSERT_EQ(batch.size(), 3u);
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string n = std::to_string(seed);
    SCOPED_TRACE("seed " + n);
    const auto& a = batch[static_cast<std::size_t>(seed - 1)];
    EXPECT_EQ(a["batch_size"], 3);
    EXPECT_EQ(a["scheme"], "had");
    const fs::path file = dir / ("i" + n + ".json");
    expect_same_design(a, solved("solve-b '" + file.string() + "' --scheme had"));
  }
}

TEST(CliSolveModelB, RefusesModelAOptionsTheGpuAndMixedModels) {
  const std::string b_file = digital_instance();
  CliRun r = run_isacbf("solve '" + b_file + "' --sca-update paper");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--sca-update"), std::string::npos) << r.err;
  r = run_isacbf("solve '" + b_file + "' --backend magic");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("backend"), std::string::npos) << r.err;
  r = run_isacbf("solve '" + b_file + "' --backend gpu");  // the digital design runs on the CPU, says so
  if (!isacbf::testing::exited_without_gpu(r) && r.code == 0) {
    EXPECT_EQ(nlohmann::json::parse(r.out)["backend"], "cpu");
  }
  const std::string a_file = generated("a.json", "--model target_eavesdropper --seed 1");
  r = run_isacbf("solve '" + a_file + "' '" + b_file + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("mixes model A and model B"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("digital.json"), std::string::npos) << r.err;
}

// `--solver gpu` sends every conic step to the GPU's batched ADMM (a directory's or file list's designs
// as lockstep device batches). Without a device it exits 3 saying so; with one, each result's status
// and rates agree with the CPU ADMM's (the same iteration and settings; Anderson's rounding differences
// may move the FP loop's last digits, so rates within 1e-4 relative).
TEST(CliSolveB, GpuSolverAgreesWithTheCpuAdmmOrExitsThree) {
  const std::string a = small_instance();
  const std::string b = digital_instance();
  for (const std::string scheme : {"digital", "comm_only_carrier"}) {
    SCOPED_TRACE(scheme);
    const std::string files = "'" + a + "' '" + b + "' --scheme " + scheme;
    const CliRun r = run_isacbf("solve-b " + files + " --solver gpu");
    if (isacbf::testing::exited_without_gpu(r) || r.code != 0) continue;
    const auto gpu = nlohmann::json::parse(r.out);
    const auto cpu = solved("solve-b " + files + " --solver admm");
    ASSERT_EQ(gpu.size(), 2u);
    ASSERT_EQ(cpu.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(gpu[i]["backend"], "gpu");
      EXPECT_EQ(gpu[i]["status"], cpu[i]["status"]);
      for (const char* rate : {"sum_rate", "secrecy_rate"})
        EXPECT_NEAR(gpu[i][rate].get<double>(), cpu[i][rate].get<double>(), 1e-4 * (1.0 + std::abs(cpu[i][rate].get<double>())))
            << rate << " of file " << i;
    }
  }
}
