#include "host/model_a/sweep_runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/model_a/result_json.hpp"
#include "host/model_a/results_file.hpp"

namespace isacbf::model_a {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kColumns[] = {"status", "feasible", "secrecy_rate", "secrecy_rate_rank1", "sca_iterations", "conic_solves",
                          "s_random_draws", "scnr_b_dB", "scnr_u_dB", "rate_user", "rate_eve", "power_W",
                          "rank1_ratio", "objective_trace", "secrecy_rate_trace", "solve_seconds"};

std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::ostringstream s;
    for (std::size_t i = 0; i < v.size(); ++i) s << (i ? ";" : "") << cell(v[i]);
    return s.str();
  }
  if (v.is_number_float()) {
    std::ostringstream os;
    os.precision(10);
    os << v.get<double>();
    return os.str();
  }
  return v.dump();
}

std::string key_of(int point, int r) {
  std::ostringstream os;  // (string operator+ chains trip GCC 12's -Wrestrict false positive)
  os << 'p' << point << "_r" << r;
  return os.str();
}

std::string make_row(const SweepConfig& c, const GridPoint& p, int r, std::uint64_t seed, const ScaOptions& opt,
                     const json& res) {
  std::ostringstream row;
  row << key_of(p.index, r) << ',' << p.index << ',' << r << ',' << seed;
  for (std::size_t d = 0; d < c.grid.size(); ++d) row << ',' << cell(p.values[d]);
  row << ',' << to_string(opt.scheme) << ',' << to_string(opt.update);
  for (const char* col : kColumns) {
    row << ',';
    if (std::string(col) == "feasible") row << (res["status"] == "infeasible" ? "0" : "1");
    else if (res.contains(col)) row << cell(res[col]);
  }
  return row.str();
}

// Several processes may write the same file (shards sharing DIR): each writes its own temporary and
// renames it into place, which is atomic.
fs::path per_process_tmp(const fs::path& target) {
  return fs::path(target.string() + ".tmp." + std::to_string(::getpid()));
}

void sync_to_disk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("opening " + path.string() + " to sync it failed");
  ::fsync(fd);
  ::close(fd);
}

void prepare_dir(const SweepConfig& c, const std::string& dir) {
  fs::create_directories(dir);
  const fs::path cfg = fs::path(dir) / "config.json";
  if (fs::exists(cfg)) {
    std::ifstream f(cfg);
    json old;
    try {
      old = json::parse(f);
    } catch (const json::exception&) {
      old = nullptr;  // a kill while writing it: rewrite below
    }
    if (!old.is_null() && old != c.raw)
      throw InputError("CONFIG", "differs from the sweep already in " + dir + " (use a new -o DIR)", cfg.string());
    if (!old.is_null()) return;
  }
  const fs::path tmp = per_process_tmp(cfg);
  { std::ofstream(tmp) << c.raw.dump(2) << "\n"; }
  fs::rename(tmp, cfg);
}

// The results files of DIR: results.csv and results.shard-*.csv, in name order.
std::vector<std::string> results_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    const bool shard = name.rfind("results.shard-", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".csv";
    if (e.is_regular_file() && (name == "results.csv" || shard)) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every complete row of every results file in DIR, a key once (the first file's row wins).
std::vector<std::string> all_rows(const SweepConfig& c, const std::string& dir) {
  std::vector<std::string> rows;
  std::set<std::string> seen;
  for (const auto& f : results_files(dir))
    for (auto& row : read_complete_rows(f, results_header(c)))
      if (seen.insert(row_key(row)).second) rows.push_back(std::move(row));
  return rows;
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
  prepare_dir(c, dir);
  ResultsFile results((fs::path(dir) / results_file_name(shard)).string(), results_header(c));
  std::set<std::string> done(results.done());
  for (const auto& row : all_rows(c, dir)) done.insert(row_key(row));
  const auto points = grid_points(c);
  struct Job {
    const GridPoint* point;
    int r;
  };
  std::vector<Job> todo;
  SweepReport rep;
  std::size_t global = 0;  // instance index over the whole sweep: point major, realisation minor
  for (const auto& p : points)
    for (int r = 0; r < c.realisations; ++r, ++global) {
      if (static_cast<int>(global % static_cast<std::size_t>(shard.count)) != shard.index) continue;
      ++rep.total;
      if (!done.count(key_of(p.index, r))) todo.push_back({&p, r});
    }
  rep.skipped = rep.total - todo.size();
  if (progress) progress(rep.skipped, rep.total);
  for (std::size_t first = 0; first < todo.size(); first += static_cast<std::size_t>(c.batch_size)) {
    const std::size_t last = std::min(todo.size(), first + static_cast<std::size_t>(c.batch_size));
    // group the batch by solver options (scheme / sca_update may be grid keys)
    std::map<std::pair<int, int>, std::vector<std::size_t>> groups;
    std::vector<ScaOptions> opts(last - first);
    for (std::size_t i = first; i < last; ++i) {
      opts[i - first] = point_options(c, *todo[i].point);
      groups[{static_cast<int>(opts[i - first].scheme), static_cast<int>(opts[i - first].update)}].push_back(i);
    }
    std::vector<std::string> rows;
    for (const auto& [_, members] : groups) {
      std::vector<Instance> instances;
      for (auto i : members) {
        const std::uint64_t seed = c.seed + static_cast<std::uint64_t>(todo[i].r);
        instances.push_back(generate(point_scenario(c, *todo[i].point), seed));
      }
      const ScaOptions& o = opts[members.front() - first];
      const auto outcomes = run_sca(instances, o, solver);
      for (std::size_t m = 0; m < members.size(); ++m) {
        const auto i = members[m];
        const json res = result_to_json(instances[m], outcomes[m], o, {backend_name, solver_detail, "", false});
        rows.push_back(make_row(c, *todo[i].point, todo[i].r, *instances[m].seed, o, res));
      }
    }
    results.append(rows);
    rep.solved += rows.size();
    if (progress) progress(rep.skipped + rep.solved, rep.total);
  }
  write_summary(c, dir);
  return rep;
}

std::size_t merge_shards(const SweepConfig& c, const std::string& dir) {
  prepare_dir(c, dir);
  auto rows = all_rows(c, dir);
  auto order = [](const std::string& row) {
    const auto v = split_csv(row);
    return std::make_pair(std::stoi(v.at(1)), std::stoi(v.at(2)));  // point, realisation
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const std::string& a, const std::string& b) { return order(a) < order(b); });
  const fs::path target = fs::path(dir) / "results.csv", tmp = per_process_tmp(target);
  {
    std::ofstream out(tmp, std::ios::binary);
    out << results_header(c) << "\n";
    for (const auto& row : rows) out << row << "\n";
    if (!out.flush()) throw std::runtime_error("writing " + tmp.string() + " failed");
  }
  sync_to_disk(tmp);  // on disk before the shard files go
  fs::rename(tmp, target);
  for (const auto& f : results_files(dir))
    if (fs::path(f).filename() != "results.csv") fs::remove(f);
  write_summary(c, dir);
  return rows.size();
}

void write_summary(const SweepConfig& c, const std::string& dir) {
  if (results_files(dir).empty()) throw InputError("results.csv", "missing", dir);
  const auto rows = all_rows(c, dir);
  const auto header = split_csv(results_header(c));
  auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    throw std::runtime_error("results.csv lacks column " + name);
  };
  const std::size_t c_point = col("point"), c_status = col("status"), c_sr = col("secrecy_rate"),
                    c_sr1 = col("secrecy_rate_rank1"), c_it = col("sca_iterations"), c_scnr = col("scnr_b_dB"),
                    c_pow = col("power_W"), c_r1 = col("rank1_ratio");
  struct Acc {
    int n = 0, feasible = 0, solved = 0, errors = 0;
    double sr = 0, sr2 = 0, sr1 = 0, it = 0, scnr = 0, pow = 0, r1min = 1.0;
  };
  std::map<int, Acc> acc;
  for (const auto& row : rows) {
    const auto v = split_csv(row);
    if (v.size() < header.size()) continue;
    Acc& a = acc[std::stoi(v[c_point])];
    ++a.n;
    const std::string& st = v[c_status];
    if (st != "infeasible") ++a.feasible;
    if (st == "numerical_error") ++a.errors;
    if (v[c_sr].empty()) continue;
    ++a.solved;
    const double sr = std::stod(v[c_sr]);
    a.sr += sr;
    a.sr2 += sr * sr;
    a.sr1 += std::stod(v[c_sr1]);
    a.it += std::stod(v[c_it]);
    a.scnr += std::stod(v[c_scnr]);
    a.pow += std::stod(v[c_pow]);
    std::istringstream rs(v[c_r1]);
    std::string x;
    while (std::getline(rs, x, ';'))
      if (!x.empty()) a.r1min = std::min(a.r1min, std::stod(x));
  }
  const auto points = grid_points(c);
  std::ostringstream out;
  out << "point";
  for (const auto& g : c.grid) out << "," << g.first;
  out << ",n,feasible_fraction,solved,numerical_errors,secrecy_rate_mean,secrecy_rate_std,secrecy_rate_rank1_mean,"
         "sca_iterations_mean,scnr_b_dB_mean,power_W_mean,rank1_ratio_min\n";
  for (const auto& p : points) {
    const Acc a = acc.count(p.index) ? acc[p.index] : Acc{};
    out << p.index;
    for (const auto& v : p.values) out << "," << cell(v);
    const double n = a.solved > 0 ? a.solved : 1;
    const double mean = a.sr / n, var = a.solved > 1 ? std::max(0.0, (a.sr2 - a.solved * mean * mean) / (a.solved - 1)) : 0.0;
    out << "," << a.n << "," << (a.n ? static_cast<double>(a.feasible) / a.n : 0.0) << "," << a.solved << ","
        << a.errors << ",";
    if (a.solved > 0)
      out << mean << "," << std::sqrt(var) << "," << a.sr1 / n << "," << a.it / n << "," << a.scnr / n << ","
          << a.pow / n << "," << a.r1min;
    else
      out << ",,,,,,";
    out << "\n";
  }
  const fs::path target = fs::path(dir) / "summary.csv", tmp = per_process_tmp(target);
  { std::ofstream(tmp) << out.str(); }
  fs::rename(tmp, target);
}

}  // namespace isacbf::model_a
