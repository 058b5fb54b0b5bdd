// `isacbf sweep` on model B (docs/sweep.md, "Model B"): config checks naming the key, rows equal to
// solving each instance alone, resumption after a cut-off row, shards merged into the single run's rows,
// and the command line's exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "cli_test_util.hpp"
#include "host/common/results_file.hpp"
#include "host/model_b/sweep_runner.hpp"
#include "tests/input_error_field.hpp"

namespace fs = std::filesystem;
using namespace isacbf;
using namespace isacbf::model_b;
using isacbf::testing::field_of;
using nlohmann::json;

namespace {

json small_config() {
  return json::parse(R"({"model": "aerial_eavesdroppers",
    "base": {"Nt": 8, "Nr": 8, "K": 2, "J": 1, "Ns": 1, "N_RF": 6, "theta_user_deg": [-30, 30], "theta_ae_deg": [5]},
    "grid": {"scheme": ["digital", "had"], "P_dBm": [25, 30]}, "realisations": 2, "solver": "admm", "batch_size": 3})");
}

SolveOptions admm() {
  SolveOptions so;
  so.solver = conic::make_cpu_solver();
  return so;
}

// key -> row of every results file in dir.
std::map<std::string, std::string> rows_by_key(const SweepConfig& c, const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& row : sweep::all_rows(dir, results_header(c))) out[sweep::row_key(row)] = row;
  return out;
}

std::string column(const SweepConfig& c, const std::string& row, const std::string& name) {
  const auto header = sweep::split_csv(results_header(c));
  const auto cells = sweep::split_csv(row);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return cells.at(i);
  return "<no column " + name + ">";
}

}  // namespace

TEST(ModelBSweepConfig, BadKeysAndValuesAreNamed) {
  auto field = [](json j) { return field_of([&] { sweep_config_from_json(j); }); };
  json j = small_config();
  EXPECT_EQ(field(j), "<no error>");
  j["colour"] = "red";
  EXPECT_EQ(field(j), "colour");
  j = small_config();
  j["grid"]["scheme"] = {"digital", "magic"};
  EXPECT_EQ(field(j), "grid.scheme[1]");
  j = small_config();
  j["grid"]["Nt"] = {8, -3};
  EXPECT_EQ(field(j), "grid.Nt[1]");
  j = small_config();
  j["backend"] = "tpu";
  EXPECT_EQ(field(j), "backend");
  j = small_config();
  j["solver"] = "simplex";
  EXPECT_EQ(field(j), "solver");
  j["solver"] = "gpu";  // the GPU's batched ADMM (chosen when the sweep runs)
  EXPECT_EQ(field(j), "<no error>");
  j = small_config();
  j["eps"] = 0;
  EXPECT_EQ(field(j), "eps");
  j = small_config();
  j.erase("model");
  EXPECT_EQ(field(j), "model");
  EXPECT_FALSE(is_model_b_sweep(j));
  const SweepConfig c = sweep_config_from_json(small_config());
  const auto points = sweep::cartesian_grid(c.grid);
  ASSERT_EQ(points.size(), 4u);  // keys in alphabetical order: P_dBm, scheme (last fastest)
  EXPECT_EQ(point_scheme(c, points[1]), "had");
  EXPECT_EQ(point_scenario(c, points[2]).P_dBm, 30.0);
  json proposed = small_config();
  proposed.erase("grid");
  proposed["scheme"] = "proposed";
  EXPECT_EQ(point_scheme(sweep_config_from_json(proposed), sweep::cartesian_grid({}).front()), "had");  // N_RF 6 > 0
}

// Every row is the result of solving that instance alone (HAD rows come from lockstep batches).
TEST(ModelBSweep, RowsEqualSingleSolvesAndTheSummaryCountsThem) {
  const SweepConfig c = sweep_config_from_json(small_config());
  const std::string dir = (isacbf::testing::test_dir() / "b_sweep").string();
  const SweepReport rep = run_sweep(c, dir, admm());
  EXPECT_EQ(rep.total, 8u);
  EXPECT_EQ(rep.solved, 8u);
  const auto rows = rows_by_key(c, dir);
  ASSERT_EQ(rows.size(), 8u);
  int feasible = 0;
  for (const auto& p : sweep::cartesian_grid(c.grid))
    for (int r = 0; r < c.realisations; ++r) {
      const std::string& row = rows.at(sweep::row_key_of(p.index, r));
      SolveOptions so = admm();
      so.scheme = point_scheme(c, p);
      const json alone = solve_instance(generate(point_scenario(c, p), c.seed + static_cast<std::uint64_t>(r)), so);
      SCOPED_TRACE(row);
      EXPECT_EQ(column(c, row, "status"), alone["status"].get<std::string>());
      if (alone["status"] == "infeasible") {  // 25 dBm at Nt 8 is: metrics left empty
        EXPECT_EQ(column(c, row, "sum_rate"), "");
        continue;
      }
      ++feasible;
      EXPECT_NEAR(std::stod(column(c, row, "sum_rate")), alone["sum_rate"].get<double>(), 1e-8 * alone["sum_rate"].get<double>());
      EXPECT_EQ(column(c, row, "scheme_used"), so.scheme);
    }
  EXPECT_GE(feasible, 4) << "the 30 dBm points must be solved";
  std::ifstream summary(fs::path(dir) / "summary.csv");
  std::string line;
  int lines = 0;
  while (std::getline(summary, line)) ++lines;
  EXPECT_EQ(lines, 5);  // header + 4 points
}

TEST(ModelBSweep, ResumesAfterACutOffRowAndShardsMergeToTheSameRows) {
  const SweepConfig c = sweep_config_from_json(small_config());
  const fs::path base = isacbf::testing::test_dir();
  const std::string whole = (base / "b_whole").string(), cut = (base / "b_cut").string(), sharded = (base / "b_sharded").string();
  run_sweep(c, whole, admm());
  const auto expected = rows_by_key(c, whole);
  // A run killed mid-write: two complete rows and part of a third.
  run_sweep(c, cut, admm());
  {
    const auto rows = sweep::all_rows(cut, results_header(c));
    std::ofstream f(fs::path(cut) / "results.csv", std::ios::trunc);
    f << results_header(c) << "\n" << rows[0] << "\n" << rows[1] << "\n" << rows[2].substr(0, 10);
  }
  const SweepReport resumed = run_sweep(c, cut, admm());
  EXPECT_EQ(resumed.skipped, 2u);
  EXPECT_EQ(resumed.solved, 6u);
  auto got = rows_by_key(c, cut);
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [key, row] : expected) EXPECT_EQ(column(c, got.at(key), "sum_rate"), column(c, row, "sum_rate")) << key;
  run_sweep(c, sharded, admm(), {}, {0, 2});
  run_sweep(c, sharded, admm(), {}, {1, 2});
  EXPECT_EQ(merge_shards(c, sharded), 8u);
  got = rows_by_key(c, sharded);
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [key, row] : expected) EXPECT_EQ(column(c, got.at(key), "status"), column(c, row, "status")) << key;
  EXPECT_FALSE(fs::exists(fs::path(sharded) / "results.shard-0-of-2.csv"));
}

TEST(ModelBSweepCli, RunsAndReportsBadInputAndAMissingGpu) {
  const fs::path dir = isacbf::testing::test_dir();
  const fs::path cfg = dir / "b_sweep.json";
  json j = small_config();
  j["grid"] = {{"P_dBm", {30}}};
  j["scheme"] = "digital";
  std::ofstream(cfg) << j.dump();
  auto r = isacbf::testing::run_isacbf("sweep '" + cfg.string() + "' -o '" + (dir / "b_cli").string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("2 model-B instances"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir / "b_cli" / "summary.csv"));
  r = isacbf::testing::run_isacbf("sweep '" + cfg.string() + "' -o '" + (dir / "b_cli_gpu").string() + "' --backend gpu");
  isacbf::testing::exited_without_gpu(r);  // exit 3 here; a GPU machine runs it
  j["solver"] = "gpu";  // every conic step on the GPU too
  std::ofstream(cfg) << j.dump();
  r = isacbf::testing::run_isacbf("sweep '" + cfg.string() + "' -o '" + (dir / "b_cli_gpu_conic").string() + "'");
  isacbf::testing::exited_without_gpu(r);
  j.erase("solver");
  j["grid"] = {{"P_dBm", {30, "loud"}}};
  std::ofstream(cfg) << j.dump();
  r = isacbf::testing::run_isacbf("sweep '" + cfg.string() + "' -o '" + (dir / "b_bad").string() + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("grid.P_dBm[1]"), std::string::npos) << r.err;
}
