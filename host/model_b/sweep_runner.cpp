#include "host/model_b/sweep_runner.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/common/results_file.hpp"
#include "host/common/sweep_summary.hpp"

namespace isacbf::model_b {

namespace fs = std::filesystem;
using nlohmann::json;
using sweep::csv_cell;

namespace {

// Result columns after key, point, realisation, seed, the grid keys, scheme_used and n_rf_used.
// Metrics are left empty for an infeasible instance (its design is zero).
const char* kColumns[] = {"status",        "secrecy_rate",   "sum_rate", "rate_user",  "max_eve_sinr_dB",
                          "scnr_dB",       "power_W",        "iterations", "sensing_beams", "design_constraint_ratio",
                          "solve_seconds", "message"};
const std::set<std::string> kMetrics{"secrecy_rate", "sum_rate", "rate_user", "max_eve_sinr_dB", "scnr_dB", "power_W",
                                     "sensing_beams", "design_constraint_ratio"};

// No commas or line breaks in a cell (rows are split on commas).
std::string plain(std::string text) {
  std::replace(text.begin(), text.end(), ',', ';');
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string make_row(const SweepConfig& c, const sweep::Job& job, std::uint64_t seed, const json& res) {
  std::ostringstream row;
  row << sweep::row_key_of(job.point->index, job.realisation) << ',' << job.point->index << ',' << job.realisation << ',' << seed;
  for (const auto& v : job.point->values) row << ',' << csv_cell(v);
  row << ',' << point_scheme(c, *job.point) << ',' << point_n_rf(c, *job.point);
  const bool infeasible = res.value("status", "") == "infeasible";
  for (const char* col : kColumns) {
    row << ',';
    if (infeasible && kMetrics.count(col)) continue;
    if (res.contains(col)) row << plain(csv_cell(res[col]));
  }
  return row.str();
}

}  // namespace

std::string results_header(const SweepConfig& c) {
  std::ostringstream h;
  h << "key,point,realisation,seed";
  for (const auto& g : c.grid) h << ',' << g.first;
  h << ",scheme_used,n_rf_used";
  for (const char* col : kColumns) h << ',' << col;
  return h.str();
}

SweepReport run_sweep(const SweepConfig& c, const std::string& dir, const SolveOptions& options, const SweepProgressFn& progress,
                      const sweep::Shard& shard) {
  sweep::prepare_dir(c.raw, dir);
  const std::string header = results_header(c);
  sweep::ResultsFile results((fs::path(dir) / sweep::results_file_name(shard)).string(), header);
  const auto points = sweep::cartesian_grid(c.grid);
  const sweep::Plan plan = sweep::plan(points, c.realisations, shard, sweep::done_keys(results, dir, header));
  const SweepReport rep = sweep::run_batches(plan, c.batch_size, results, [&](const std::vector<sweep::Job>& jobs) {
    std::map<std::pair<std::string, int>, std::vector<std::size_t>> groups;  // one solve_instances call each
    for (std::size_t i = 0; i < jobs.size(); ++i) groups[{point_scheme(c, *jobs[i].point), point_n_rf(c, *jobs[i].point)}].push_back(i);
    std::vector<std::string> rows;
    for (const auto& [group, members] : groups) {
      std::vector<Instance> instances;
      for (std::size_t i : members)
        instances.push_back(generate(point_scenario(c, *jobs[i].point), c.seed + static_cast<std::uint64_t>(jobs[i].realisation)));
      SolveOptions so = options;
      so.scheme = group.first;
      so.n_rf = group.second;
      so.fp.delta = c.delta;
      so.fp.conic.eps_abs = so.fp.conic.eps_rel = c.eps;
      const std::vector<json> out = solve_instances(instances, so);
      for (std::size_t m = 0; m < members.size(); ++m) rows.push_back(make_row(c, jobs[members[m]], instances[m].seed.value_or(0), out[m]));
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
  const std::map<int, sweep::PointStats> stats =
      sweep::point_stats(dir, results_header(c), {"secrecy_rate", {"secrecy_rate", "sum_rate", "iterations", "power_W"}, {}});
  std::ostringstream out;
  out << "point";
  for (const auto& g : c.grid) out << "," << g.first;
  out << ",n,optimal,infeasible,numerical_errors,secrecy_rate_mean,secrecy_rate_std,sum_rate_mean,iterations_mean,power_W_mean\n";
  for (const auto& p : sweep::cartesian_grid(c.grid)) {
    const auto it = stats.find(p.index);
    const sweep::PointStats a = it == stats.end() ? sweep::PointStats{} : it->second;
    out << p.index;
    for (const auto& v : p.values) out << "," << csv_cell(v);
    out << "," << a.rows << "," << a.count("optimal") << "," << a.count("infeasible") << "," << a.count("numerical_error") << ",";
    if (a.measured > 0) {
      out << a.mean("secrecy_rate") << "," << a.stddev("secrecy_rate") << "," << a.mean("sum_rate") << "," << a.mean("iterations")
          << "," << a.mean("power_W");
    } else {
      out << ",,,,";
    }
    out << "\n";
  }
  sweep::write_file(dir, "summary.csv", out.str());
}

}  // namespace isacbf::model_b
