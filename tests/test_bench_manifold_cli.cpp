// `isacbf bench --manifold --altmin --no-gpu` as a user runs it on a tiny grid: the CSV's CPU columns
// (rounds and final relative residual of the HAD starts) equal an independent MO-AltMin of the same
// generated instances, one at a time, and the mode's bad options exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/had_design.hpp"
#include "host/model_b/mo_altmin.hpp"

namespace fs = std::filesystem;
using isacbf::testing::run_isacbf;
using isacbf::testing::test_dir;

namespace {

// The CSV's rows as cells (header first).
std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

}  // namespace

TEST(BenchManifoldCli, AltMinCpuColumnsEqualOneByOneFitsOfTheSameInstances) {
  const fs::path csv = test_dir() / "altmin.csv";
  const auto r = run_isacbf("bench --manifold --altmin --no-gpu --nt 8,12 --batches 1,3 --n-rf 3 --seed 7 --csv " + csv.string());
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto rows = read_csv(csv);
  ASSERT_EQ(rows.size(), 5u);  // header + (Nt 8, 12) x (batch 1, 3)
  const auto& h = rows.front();
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const auto& row = rows[k];
    const int nt = std::stoi(row[column(h, "Nt")]), batch = std::stoi(row[column(h, "batch")]);
    SCOPED_TRACE("Nt " + std::to_string(nt) + " batch " + std::to_string(batch));
    EXPECT_EQ(row[column(h, "gpu_s")], "n/a");
    isacbf::model_b::Scenario sc;
    isacbf::model_b::set_parameter(sc, "Nt", nt);
    isacbf::model_b::set_parameter(sc, "Nr", nt);
    double rounds = 0.0, residual = 0.0;
    for (int i = 0; i < batch; ++i) {
      const Eigen::MatrixXcd T = isacbf::model_b::had_altmin_target(isacbf::model_b::generate(sc, 7 + static_cast<std::uint64_t>(i)));
      const auto fit = isacbf::model_b::mo_altmin(T, 3);
      rounds += fit.rounds;
      residual += (T - fit.F * fit.B).norm() / T.norm();
    }
    EXPECT_NEAR(std::stod(row[column(h, "cpu_rounds_mean")]), rounds / batch, 1e-3 * rounds / batch);  // 4 digits
    const double printed = std::stod(row[column(h, "cpu_rel_residual")]);
    EXPECT_NEAR(printed, residual / batch, 1e-5 * residual / batch);  // printed with 6 digits
    EXPECT_GT(printed, 0.0);
    EXPECT_LT(printed, 1.0);
  }
}

TEST(BenchManifoldCli, AltMinModeRejectsOptionsItDoesNotUse) {
  const auto distinct = run_isacbf("bench --manifold --altmin --no-gpu --distinct 4");
  EXPECT_EQ(distinct.code, 2);
  EXPECT_NE(distinct.err.find("'distinct'"), std::string::npos) << distinct.err;
  const auto alone = run_isacbf("bench --altmin");
  EXPECT_EQ(alone.code, 2);
  EXPECT_NE(alone.err.find("'altmin'"), std::string::npos) << alone.err;
  const auto n_rf = run_isacbf("bench --manifold --altmin --no-gpu --nt 4 --n-rf 5");
  EXPECT_EQ(n_rf.code, 2);
  EXPECT_NE(n_rf.err.find("'n-rf'"), std::string::npos) << n_rf.err;
}
