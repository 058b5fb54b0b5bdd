#include "host/model_a/sweep_runner.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/model_a/result_json.hpp"
#include "host/common/results_file.hpp"
#include "host/common/sweep_summary.hpp"

namespace isacbf::model_a {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kColumns[] = {"status", "feasible", "secrecy_rate", "secrecy_rate_rank1", "sca_iterations", "conic_solves",
                          "s_random_draws", "scnr_b_dB", "scnr_u_dB", "rate_user", "rate_eve", "power_W",
                          "rank1_ratio", "objective_trace", "secrecy_rate_trace", "solve_seconds"};

using sweep::csv_cell;

std::string make_row(const SweepConfig& c, const GridPoint& p, int r, std::uint64_t seed, const ScaOptions& opt,
                     const json& res) {
  std::ostringstream row;
  row << sweep::row_key_of(p.index, r) << ',' << p.index << ',' << r << ',' << seed;
  for (std::size_t d = 0; d < c.grid.size(); ++d) row << ',' << csv_cell(p.values[d]);
  row << ',' << to_string(opt.scheme) << ',' << to_string(opt.update);
  for (const char* col : kColumns) {
    row << ',';
    if (std::string(col) == "feasible") row << (res["status"] == "infeasible" ? "0" : "1");
    else if (res.contains(col)) row << csv_cell(res[col]);
  }
  return row.str();
}

}  // namespace

std::string results_header(const SweepConfig& c) {
  std::ostringstream h;
  h << "key,point,realisation,seed";
  for (const auto& g : c.grid) h << ',' << g.first;
  h << ",scheme_used,sca_update_used";
  for (const char* col : kColumns) h << ',' << col;
  return h.str();
}

SweepReport run_sweep(const SweepConfig& c, const std::string& dir, conic::BatchSolver& solver,
                      const std::string& backend_name, const std::string& solver_detail, const SweepProgressFn& progress,
                      const Shard& shard) {
  sweep::prepare_dir(c.raw, dir);
  sweep::ResultsFile results((fs::path(dir) / sweep::results_file_name(shard)).string(), results_header(c));
  const auto points = grid_points(c);
  const sweep::Plan plan = sweep::plan(points, c.realisations, shard, sweep::done_keys(results, dir, results_header(c)));
  const SweepReport rep = sweep::run_batches(plan, c.batch_size, results, [&](const std::vector<sweep::Job>& jobs) {
    // group the batch by solver options (scheme / sca_update may be grid keys)
    std::map<std::pair<int, int>, std::vector<std::size_t>> groups;
    std::vector<ScaOptions> opts(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      opts[i] = point_options(c, *jobs[i].point);
      groups[{static_cast<int>(opts[i].scheme), static_cast<int>(opts[i].update)}].push_back(i);
    }
    std::vector<std::string> rows;
    for (const auto& [_, members] : groups) {
      std::vector<Instance> instances;
      for (auto i : members)
        instances.push_back(generate(point_scenario(c, *jobs[i].point), c.seed + static_cast<std::uint64_t>(jobs[i].realisation)));
      const ScaOptions& o = opts[members.front()];
      const auto outcomes = run_sca(instances, o, solver);
      for (std::size_t m = 0; m < members.size(); ++m) {
        const auto i = members[m];
        const json res = result_to_json(instances[m], outcomes[m], o, {backend_name, solver_detail, "", false});
        rows.push_back(make_row(c, *jobs[i].point, jobs[i].realisation, *instances[m].seed, o, res));
      }
    }
    return rows;
  }, progress);
  write_summary(c, dir);
  return rep;
}

std::size_t merge_shards(const SweepConfig& c, const std::string& dir) {
  const std::size_t rows = sweep::merge_results(c.raw, dir, results_header(c));
  write_summary(c, dir);
  return rows;
}

void write_summary(const SweepConfig& c, const std::string& dir) {
  const std::map<int, sweep::PointStats> stats = sweep::point_stats(
      dir, results_header(c),
      {"secrecy_rate", {"secrecy_rate", "secrecy_rate_rank1", "sca_iterations", "scnr_b_dB", "power_W"}, {"rank1_ratio"}});
  std::ostringstream out;
  out << "point";
  for (const auto& g : c.grid) out << "," << g.first;
  out << ",n,feasible_fraction,solved,numerical_errors,secrecy_rate_mean,secrecy_rate_std,secrecy_rate_rank1_mean,"
         "sca_iterations_mean,scnr_b_dB_mean,power_W_mean,rank1_ratio_min\n";
  for (const auto& p : grid_points(c)) {
    const auto it = stats.find(p.index);
    const sweep::PointStats a = it == stats.end() ? sweep::PointStats{} : it->second;
    out << p.index;
    for (const auto& v : p.values) out << "," << csv_cell(v);
    const int feasible = a.rows - a.count("infeasible");
    out << "," << a.rows << "," << (a.rows ? static_cast<double>(feasible) / a.rows : 0.0) << "," << a.measured << ","
        << a.count("numerical_error") << ",";
    if (a.measured > 0)
      out << a.mean("secrecy_rate") << "," << a.stddev("secrecy_rate") << "," << a.mean("secrecy_rate_rank1") << ","
          << a.mean("sca_iterations") << "," << a.mean("scnr_b_dB") << "," << a.mean("power_W") << ","
          << std::min(1.0, a.minimum("rank1_ratio"));
    else
      out << ",,,,,,";
    out << "\n";
  }
  sweep::write_file(dir, "summary.csv", out.str());
}

}  // namespace isacbf::model_a
