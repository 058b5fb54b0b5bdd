// sweep::point_stats, the statistics behind both models' summary.csv: rows grouped by point, status
// counts, sums over the rows with metrics only, sample standard deviation, minima over ';' lists, and
// the errors for a header without a column the summary needs. Expected values are computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <unistd.h>

#include "host/common/results_file.hpp"
#include "host/common/sweep_summary.hpp"

using namespace isacbf;
namespace fs = std::filesystem;

namespace {

const std::string kHeader = "key,point,realisation,status,rate,ratios";

std::string results_dir(const std::vector<std::string>& rows) {
  const fs::path dir = fs::temp_directory_path() / ("isacbf_summary_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  sweep::ResultsFile file((dir / "results.csv").string(), kHeader);
  file.append(rows);
  return dir.string();
}

}  // namespace

TEST(SweepSummary, GroupsByPointAndSummarisesTheRowsWithMetrics) {
  const std::string dir = results_dir({"p0_r0,0,0,optimal,1.5,0.9;0.7", "p0_r1,0,1,optimal,2.5,0.95",
                                       "p0_r2,0,2,infeasible,,", "p1_r0,1,0,numerical_error,,",
                                       "p0_r3,0,3,optimal,5,"});
  const auto stats = sweep::point_stats(dir, kHeader, {"rate", {"rate"}, {"ratios"}});
  ASSERT_EQ(stats.size(), 2u);
  const sweep::PointStats& p0 = stats.at(0);
  EXPECT_EQ(p0.rows, 4);
  EXPECT_EQ(p0.count("optimal"), 3);
  EXPECT_EQ(p0.count("infeasible"), 1);
  EXPECT_EQ(p0.count("numerical_error"), 0);
  EXPECT_EQ(p0.measured, 3);
  EXPECT_DOUBLE_EQ(p0.mean("rate"), 3.0);  // (1.5 + 2.5 + 5) / 3
  // sample variance: ((1.5-3)^2 + (2.5-3)^2 + (5-3)^2) / 2 = (2.25 + 0.25 + 4) / 2 = 3.25
  EXPECT_NEAR(p0.stddev("rate"), std::sqrt(3.25), 1e-12);
  EXPECT_DOUBLE_EQ(p0.minimum("ratios"), 0.7);
  const sweep::PointStats& p1 = stats.at(1);
  EXPECT_EQ(p1.rows, 1);
  EXPECT_EQ(p1.count("numerical_error"), 1);
  EXPECT_EQ(p1.measured, 0);
  EXPECT_EQ(p1.mean("rate"), 0.0);
  EXPECT_EQ(p1.stddev("rate"), 0.0);
  EXPECT_EQ(p1.minimum("ratios"), std::numeric_limits<double>::infinity());
  fs::remove_all(dir);
}

TEST(SweepSummary, AHeaderWithoutASummaryColumnIsAnError) {
  const std::string dir = results_dir({"p0_r0,0,0,optimal,1,1"});
  try {
    sweep::point_stats(dir, kHeader, {"rate", {"power_W"}, {}});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("power_W"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}
