// `isacbf bench --model-a --no-gpu` as a user runs it on a tiny grid: the CSV has its columns, the CPU
// reference's statuses, secrecy rate and SCA iterations equal an independent `isacbf solve --backend
// cpu` of the same generated instances, skipped CPU runs are announced, and bad options exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli_test_util.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"

namespace fs = std::filesystem;
using isacbf::testing::CliRun;

namespace {

using isacbf::testing::test_dir;
CliRun run(const std::string& args) { return isacbf::testing::run_isacbf(args); }

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string c;
  while (std::getline(in, c, ',')) cells.push_back(c);
  return cells;
}

// Rows of the CSV as column name -> value.
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto cells = split(line);
    EXPECT_EQ(cells.size(), header.size()) << line;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

const std::string kGrid = "bench --model-a --no-gpu --nt 4 --users 2 --batches 2 --seed 5";

}  // namespace

TEST(BenchModelACli, CpuColumnsEqualAnIndependentSolveOfTheSameInstances) {
  const bool cvxopt = isacbf::crosscheck::cvxopt_available();
  const fs::path dir = test_dir(), csv = dir / "bench.csv";
  fs::create_directories(dir);
  const CliRun b = run(kGrid + " --form both --cvxopt-instances " + (cvxopt ? "1" : "0") + " --csv " + csv.string());
  ASSERT_EQ(b.code, 0) << b.err << b.out;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 2u);  // reduced, full
  for (const char* column : {"gpu_s", "gpu_us_iter", "floor_us_iter", "cpu_s", "cpu_status", "cpu_admm_iters",
                             "cpu_sca_iters", "cpu_sr_mean", "cpu/gpu", "same_status", "max_sr_rel_diff", "cvxopt_s_inst"})
    EXPECT_TRUE(rows[0].count(column)) << column;

  // The same instances, generated and solved one command at a time (seeds 5 and 6).
  std::string files;
  for (int seed : {5, 6}) {
    const std::string f = (dir / (std::to_string(seed) + ".json")).string();
    ASSERT_EQ(run("generate --model target_eavesdropper --Nt 4 --K 2 --seed " + std::to_string(seed) + " -o " + f).code, 0);
    files += " " + f;
  }
  for (const auto& row : rows) {
    const bool full = row.at("form") == "full";
    SCOPED_TRACE(row.at("form"));
    EXPECT_EQ(row.at("cpu_status"), "optimal:2");
    EXPECT_EQ(row.at("cpu_opt"), "2");
    EXPECT_EQ(row.at("gpu_s"), "n/a");
    EXPECT_EQ(row.at("psd_blocks"), full ? "3x4^2" : "3x3^2");
    EXPECT_GT(std::stod(row.at("cpu_admm_iters")), 0.0);
    // The floor of a batched GPU iteration comes from the GPU's calls (tests/test_counting_solver.cpp);
    // the CPU reference runs each instance alone, so without the GPU there is none.
    EXPECT_EQ(row.at("floor_us_iter"), "n/a");
    const CliRun s = run("solve --backend cpu" + files + (full ? " --full-form" : ""));
    ASSERT_EQ(s.code, 0) << s.err;
    const auto results = nlohmann::json::parse(s.out);
    double sr = 0.0;
    long long sca_iterations = 0;
    for (const auto& r : results) {
      EXPECT_EQ(r.at("status"), "optimal");
      sr += r.at("secrecy_rate").get<double>() / 2.0;
      sca_iterations += r.at("sca_iterations").get<long long>();
    }
    // 12 significant digits in the CSV; the same computation otherwise.
    EXPECT_NEAR(std::stod(row.at("cpu_sr_mean")), sr, 1e-10 * std::max(1.0, std::abs(sr)));
    EXPECT_EQ(std::stoll(row.at("cpu_sca_iters")), sca_iterations);
    if (cvxopt) {
      EXPECT_EQ(row.at("cvxopt_n"), "1");
      EXPECT_GT(std::stod(row.at("cvxopt_s_inst")), 0.0);
    } else {
      EXPECT_EQ(row.at("cvxopt_s_inst"), "n/a");
    }
  }
}

TEST(BenchModelACli, CpuRunsAboveTheLimitAreSkippedWithANote) {
  const fs::path csv = test_dir() / "skip.csv";
  fs::create_directories(test_dir());
  const CliRun b = run(kGrid + " --form reduced --cvxopt-instances 0 --cpu-max-batch 1 --csv " + csv.string());
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(b.out.find("CPU reference skipped"), std::string::npos) << b.out;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("cpu_s"), "n/a");
}

TEST(BenchModelACli, BadOptionsExitTwoNamingTheOption) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {kGrid + " --form diagonal", "form"},
      {kGrid + " --nt 0", "nt"},
      {kGrid + " --users 0", "users"},
      {kGrid + " --batches 0", "batches"},
      {kGrid + " --cvxopt-instances -1", "cvxopt-instances"},
      {kGrid + " --cvxopt-max-nt -1", "cvxopt-max-nt"},
      {kGrid + " --cpu-max-batch -1", "cpu-max-batch"},
      {kGrid + " --eps 0", "eps"},
      {kGrid + " --eig-method qr", "eig-method"},
      {kGrid + " --csv /nonexistent_dir/b.csv", "csv"},
      {kGrid + " --order 4", "order"},       // a synthetic-mode option
      {"bench --nt 4", "nt"},                // a --model-a option without --model-a
      {"bench --users 3,8 --no-cpu", "users"}};  // the synthetic mode takes one K
  for (const auto& [args, field] : cases) {
    const CliRun r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(field), std::string::npos) << args << "\n" << r.err;
  }
}

TEST(BenchModelACli, WithoutNoGpuAndWithoutAGpuExitsThree) {
  try {
    isacbf::gpu::device_description();
    GTEST_SKIP() << "a GPU is present";
  } catch (const isacbf::GpuUnavailable&) {
  }
  EXPECT_EQ(run("bench --model-a --nt 4 --users 2 --batches 2 --cvxopt-instances 0").code, 3);
}
