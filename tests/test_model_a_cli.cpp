// `isacbf solve` / `isacbf sweep` as a user runs them: exit codes, named fields, and a sweep killed
// with SIGKILL mid-way that finishes on rerun with exactly the rows of an uninterrupted run.
#include <gtest/gtest.h>

#include "cli_test_util.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace {

const std::string kBin = ISACBF_BINARY;

using isacbf::testing::CliRun;
CliRun run(const std::string& args) { return isacbf::testing::run_isacbf(args); }

fs::path fresh_dir(const std::string& name) {
  const fs::path d = isacbf::testing::test_dir() / name;  // removed with the rest of the scratch files
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string generate(const fs::path& dir, int seed, double gamma_s_dB = 0.0) {
  const std::string f = (dir / ("inst" + std::to_string(seed) + ".json")).string();
  const CliRun r = run("generate --model target_eavesdropper --seed " + std::to_string(seed) +
                    " --gamma_s_dB " + std::to_string(gamma_s_dB) + " -o " + f);
  EXPECT_EQ(r.code, 0) << r.err;
  return f;
}

std::vector<std::string> sorted_rows(const fs::path& csv) {
  std::ifstream f(csv);
  std::vector<std::string> rows;
  std::string line;
  std::getline(f, line);
  while (std::getline(f, line)) {
    // drop the timing column (last): it differs between runs
    rows.push_back(line.substr(0, line.rfind(',')));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST(SolveCli, OneFileGivesOneObjectWithTheRequiredKeys) {
  const auto dir = fresh_dir("solve1");
  const auto f = generate(dir, 1);
  const CliRun r = run("solve " + f);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_object());
  for (const char* k : {"status", "secrecy_rate", "secrecy_rate_rank1", "rate_user", "rate_eve", "scnr_b_dB", "scnr_u_dB",
                        "power_W", "sca_iterations", "objective_trace", "rank1_ratio", "solve_seconds", "backend"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["backend"], "cpu");
  EXPECT_EQ(j["rate_user"].size(), 3u);
}

TEST(SolveCli, DirectoryGivesAnArrayAndInfeasibleIsExitZero) {
  const auto dir = fresh_dir("solvedir");
  generate(dir, 1);
  generate(dir, 2, 60.0);  // far above the sensing-security limit
  const CliRun r = run("solve " + dir.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["status"], "infeasible");
  EXPECT_TRUE(j[1]["secrecy_rate"].is_null());
}

TEST(SolveCli, BadInputExitsTwoNamingFieldAndFile) {
  const auto dir = fresh_dir("bad");
  const auto f = generate(dir, 1);
  auto j = nlohmann::json::parse(std::ifstream(f));
  j["channels"]["h_e"]["re"] = {1.0};  // K = 3 needs three
  const std::string bad = (dir / "bad.json").string();
  std::ofstream(bad) << j.dump();
  const CliRun r = run("solve " + bad);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("h_e"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
  EXPECT_EQ(run("solve " + f + " --scheme bogus").code, 2);
  EXPECT_EQ(run("solve " + (dir / "missing.json").string()).code, 2);
  const std::string cfg = (dir / "cfg.json").string();
  std::ofstream(cfg) << R"({"grid": {"gamma_s_dB": [24]}, "realisatons": 2})";
  const CliRun s = run("sweep " + cfg + " -o " + (dir / "sw").string());
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.err.find("realisatons"), std::string::npos) << s.err;
}

// Without a usable GPU (a CPU-only build, or a CUDA build on a machine without a device) `--backend gpu`
// must exit 3; with a device there is nothing to check here.
TEST(SolveCli, GpuBackendWithoutGpuExitsThree) {
  try {
    isacbf::gpu::device_description();
    GTEST_SKIP() << "a GPU is present";
  } catch (const isacbf::GpuUnavailable&) {
  }
  const auto dir = fresh_dir("gpu");
  EXPECT_EQ(run("solve " + generate(dir, 1) + " --backend gpu").code, 3);
}

// Kill -9 mid-way, rerun: no row lost or duplicated, same rows as an uninterrupted run.
TEST(SweepCli, ResumesAfterSigkillWithoutLosingOrDuplicatingRows) {
  const auto dir = fresh_dir("resume");
  const std::string cfg = (dir / "cfg.json").string();
  std::ofstream(cfg) << R"({"grid": {"gamma_s_dB": [0, 40], "P_dBm": [18, 22]}, "realisations": 3, "seed": 7,
    "batch_size": 1})";
  const std::string full = (dir / "full").string(), killed = (dir / "killed").string();
  ASSERT_EQ(run("sweep " + cfg + " -o " + full).code, 0);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(kBin.c_str(), kBin.c_str(), "sweep", cfg.c_str(), "-o", killed.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const fs::path csv = fs::path(killed) / "results.csv";
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {  // wait until a few rows are on disk, then SIGKILL
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::size_t lines = 0;
    if (fs::exists(csv)) {
      std::ifstream f(csv);
      std::string l;
      while (std::getline(f, l)) ++lines;
    }
    if (lines >= 4 || std::chrono::steady_clock::now() - t0 > std::chrono::seconds(120)) break;
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const auto partial = sorted_rows(csv);
  EXPECT_LT(partial.size(), 12u) << "the sweep finished before it was killed; the test proves nothing";
  // simulate a kill in the middle of a write too: a torn last line
  { std::ofstream(csv, std::ios::app) << "p3_r2,3,2,9,40,22,proposed,tig"; }
  const CliRun again = run("sweep " + cfg + " -o " + killed);
  ASSERT_EQ(again.code, 0) << again.err;
  const auto a = sorted_rows(fs::path(full) / "results.csv"), b = sorted_rows(csv);
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a, b);
  std::ifstream sf(fs::path(killed) / "summary.csv");
  std::string header;
  std::getline(sf, header);
  EXPECT_NE(header.find("feasible_fraction"), std::string::npos);
}
