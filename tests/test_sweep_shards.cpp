// A sweep split over processes (`isacbf sweep --shard I/N|auto`, docs/sweep.md): the shard arithmetic
// and the launcher environment, and three shards sharing one directory give the summary and, after
// --merge, the rows of a single-process run of the same config.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/common/sweep_shard.hpp"

namespace fs = std::filesystem;
using isacbf::InputError;
using isacbf::sweep::parse_shard;
using isacbf::sweep::results_file_name;
using isacbf::sweep::Shard;
using isacbf::sweep::shard_from_environment;

namespace {

const char* const kLauncherVars[] = {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE",
                                     "SLURM_PROCID", "SLURM_NTASKS"};

void clear_launcher_env() {
  for (const char* v : kLauncherVars) ::unsetenv(v);
}

std::string field_of(const std::string& text) {
  try {
    parse_shard(text);
  } catch (const InputError& e) {
    return e.field();
  }
  return "";
}

// Rows of a results file without the timing column (last), sorted.
std::vector<std::string> rows_without_timing(const fs::path& csv) {
  std::ifstream f(csv);
  std::vector<std::string> rows;
  std::string line;
  std::getline(f, line);
  while (std::getline(f, line)) rows.push_back(line.substr(0, line.rfind(',')));
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST(SweepShard, ParsesIOverNAndRejectsTheRest) {
  clear_launcher_env();
  const Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(parse_shard("0/1").count, 1);
  for (const char* bad : {"5/5", "-1/2", "a/2", "1/0", "1", "", "1/2/3", "1/ 2", "99999999999/3"})
    EXPECT_EQ(field_of(bad), "--shard") << "'" << bad << "'";
  EXPECT_EQ(results_file_name({0, 1}), "results.csv");
  EXPECT_EQ(results_file_name({3, 8}), "results.shard-3-of-8.csv");
}

TEST(SweepShard, AutoReadsTheLaunchersEnvironment) {
  clear_launcher_env();
  EXPECT_EQ(parse_shard("auto").count, 1) << "no launcher: the whole sweep";
  ::setenv("SLURM_PROCID", "3", 1);
  ::setenv("SLURM_NTASKS", "4", 1);
  EXPECT_EQ(shard_from_environment().index, 3);
  ::setenv("OMPI_COMM_WORLD_RANK", "1", 1);  // OpenMPI's variables come first
  ::setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  const Shard s = parse_shard("auto");
  EXPECT_EQ(s.index, 1);
  EXPECT_EQ(s.count, 2);
  ::setenv("OMPI_COMM_WORLD_RANK", "2", 1);  // rank outside the size
  EXPECT_EQ(field_of("auto"), "--shard");
  clear_launcher_env();
}

TEST(SweepShardCli, ThreeShardsGiveTheSingleRunsSummaryAndRowsAfterMerge) {
  clear_launcher_env();
  const fs::path dir = isacbf::testing::test_dir();
  const std::string cfg = (dir / "cfg.json").string();
  std::ofstream(cfg) << R"({"grid": {"gamma_s_dB": [0, 40], "P_dBm": [18, 22]}, "realisations": 3, "seed": 7,
    "batch_size": 2})";
  const std::string single = (dir / "single").string(), multi = (dir / "multi").string();
  auto run = [](const std::string& args) { return isacbf::testing::run_isacbf(args); };
  ASSERT_EQ(run("sweep " + cfg + " -o " + single).code, 0);

  ASSERT_EQ(run("sweep " + cfg + " -o " + multi + " --shard 0/3").code, 0);
  ASSERT_EQ(run("sweep " + cfg + " -o " + multi + " --shard 1/3").code, 0);
  ::setenv("OMPI_COMM_WORLD_RANK", "2", 1);  // the third as mpirun would start it
  ::setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
  const auto third = run("sweep " + cfg + " -o " + multi + " --shard auto");
  clear_launcher_env();
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_NE(third.err.find("shard 2 of 3"), std::string::npos) << third.err;
  std::size_t shard_rows = 0;
  for (int i = 0; i < 3; ++i) {
    const fs::path f = fs::path(multi) / ("results.shard-" + std::to_string(i) + "-of-3.csv");
    ASSERT_TRUE(fs::exists(f)) << f;
    const auto rows = rows_without_timing(f);
    EXPECT_EQ(rows.size(), 4u) << "12 instances, every third one";
    shard_rows += rows.size();
  }
  EXPECT_EQ(shard_rows, 12u);
  EXPECT_FALSE(fs::exists(fs::path(multi) / "results.csv"));
  // the summary covers every shard's rows: identical to the single run's (no timing in it)
  EXPECT_EQ(isacbf::testing::slurp(fs::path(multi) / "summary.csv"),
            isacbf::testing::slurp(fs::path(single) / "summary.csv"));

  // a single-process rerun finds nothing left to solve
  const auto rerun = run("sweep " + cfg + " -o " + multi);
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_NE(rerun.err.find("12 already done, 0 solved now"), std::string::npos) << rerun.err;

  const auto merged = run("sweep " + cfg + " -o " + multi + " --merge");
  ASSERT_EQ(merged.code, 0) << merged.err;
  EXPECT_EQ(rows_without_timing(fs::path(multi) / "results.csv"), rows_without_timing(fs::path(single) / "results.csv"));
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(fs::exists(fs::path(multi) / ("results.shard-" + std::to_string(i) + "-of-3.csv")));
  EXPECT_EQ(isacbf::testing::slurp(fs::path(multi) / "summary.csv"),
            isacbf::testing::slurp(fs::path(single) / "summary.csv"));

  const auto bad = run("sweep " + cfg + " -o " + multi + " --shard 3/3");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--shard"), std::string::npos) << bad.err;
}
