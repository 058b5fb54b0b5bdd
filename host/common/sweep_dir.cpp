#include "host/common/sweep_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "host/common/input_file.hpp"
#include "host/common/json_io.hpp"

namespace isacbf::sweep {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Several processes may write the same file (shards sharing DIR): each writes its own temporary and
// renames it into place, which is atomic.
fs::path per_process_tmp(const fs::path& target) { return fs::path(target.string() + ".tmp." + std::to_string(::getpid())); }

void sync_to_disk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("opening " + path.string() + " to sync it failed");
  ::fsync(fd);
  ::close(fd);
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

}  // namespace

void check_keys(const json& j, const std::vector<std::string>& known, ConfigCommon& c) {
  if (!j.is_object()) throw InputError("config", "must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) throw InputError(it.key(), "unknown sweep config key");
  c.raw = j;
}

void read_repetitions(const json& j, ConfigCommon& c) {
  c.realisations = json_io::optional_int(j, "", "realisations", 1, 1, 1000000);
  if (json_io::has(j, "seed")) c.seed = json_io::unsigned_integer(j["seed"], "seed");
  c.batch_size = json_io::optional_int(j, "", "batch_size", c.batch_size, 1, 1000000);
}

Grid parse_grid(const json& grid, const std::function<void(const std::string&, const json&)>& check) {
  if (!grid.is_object()) throw InputError("grid", "must be an object {parameter: [values...]}");
  Grid out;
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    const std::string path = "grid." + it.key();
    if (!it.value().is_array() || it.value().empty()) throw InputError(path, "must be a nonempty array of values");
    std::vector<json> values(it.value().begin(), it.value().end());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string at = path + "[" + std::to_string(i) + "]";
      try {
        check(it.key(), values[i]);
      } catch (const InputError& e) {
        throw InputError(at, e.what());
      } catch (const json::exception&) {
        throw InputError(at, "has the wrong type");
      }
    }
    out.emplace_back(it.key(), std::move(values));
  }
  return out;
}

Report run_batches(const Plan& plan, int batch_size, ResultsFile& results,
                   const std::function<std::vector<std::string>(const std::vector<Job>&)>& solve, const ProgressFn& progress) {
  Report rep;
  rep.total = plan.total;
  rep.skipped = plan.total - plan.todo.size();
  if (progress) progress(rep.skipped, rep.total);
  for (std::size_t first = 0; first < plan.todo.size(); first += static_cast<std::size_t>(batch_size)) {
    const std::size_t last = std::min(plan.todo.size(), first + static_cast<std::size_t>(batch_size));
    const std::vector<std::string> rows = solve({plan.todo.begin() + static_cast<long>(first), plan.todo.begin() + static_cast<long>(last)});
    results.append(rows);
    rep.solved += rows.size();
    if (progress) progress(rep.skipped + rep.solved, rep.total);
  }
  return rep;
}

void check_points(const Grid& grid, const std::function<void(const GridPoint&)>& check) {
  for (const GridPoint& p : cartesian_grid(grid)) {
    try {
      check(p);
    } catch (const InputError& e) {
      std::string where = "grid point " + std::to_string(p.index) + " (";
      for (std::size_t d = 0; d < grid.size(); ++d) where += (d ? ", " : "") + grid[d].first + " = " + p.values[d].dump();
      // The field is the grid's value when the grid sets it, else the base's or the config's own.
      for (std::size_t d = 0; d < grid.size(); ++d)
        if (grid[d].first == e.field()) {
          const auto& values = grid[d].second;
          const auto index = std::find(values.begin(), values.end(), p.values[d]) - values.begin();
          throw InputError("grid." + e.field() + "[" + std::to_string(index) + "]", where + "): " + e.what());
        }
      throw InputError(e.field(), where + "): " + e.what());
    }
  }
}

std::vector<GridPoint> cartesian_grid(const Grid& grid) {
  std::vector<GridPoint> out;
  std::size_t total = 1;
  for (const auto& g : grid) total *= g.second.size();
  for (std::size_t idx = 0; idx < total; ++idx) {
    GridPoint p;
    p.index = static_cast<int>(idx);
    p.values.resize(grid.size());
    std::size_t rest = idx;
    for (std::size_t d = grid.size(); d-- > 0;) {
      const auto& vals = grid[d].second;
      p.values[d] = vals[rest % vals.size()];
      rest /= vals.size();
    }
    out.push_back(std::move(p));
  }
  return out;
}

json read_config_json(const std::string& path) {
  return json_io::parse_text(read_input_file(path, "CONFIG", "sweep config"), path);  // the shared parser: path-named errors, duplicate keys, depth
}

Plan plan(const std::vector<GridPoint>& points, int realisations, const Shard& shard, const std::set<std::string>& done) {
  Plan out;
  std::size_t global = 0;
  for (const auto& p : points)
    for (int r = 0; r < realisations; ++r, ++global) {
      if (static_cast<int>(global % static_cast<std::size_t>(shard.count)) != shard.index) continue;
      ++out.total;
      if (!done.count(row_key_of(p.index, r))) out.todo.push_back({&p, r});
    }
  return out;
}

std::set<std::string> done_keys(const ResultsFile& own, const std::string& dir, const std::string& header) {
  std::set<std::string> done(own.done());
  for (const auto& row : all_rows(dir, header)) done.insert(row_key(row));
  return done;
}

void prepare_dir(const json& raw, const std::string& dir) {
  if (dir.empty()) throw InputError("output", "the output directory (-o DIR) must not be empty");
  if (fs::exists(dir) && !fs::is_directory(dir)) throw InputError("output", "exists and is not a directory", dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError("output", "cannot create the output directory: " + ec.message(), dir);
  const fs::path cfg = fs::path(dir) / "config.json";
  if (fs::exists(cfg)) {
    std::ifstream f(cfg);
    json old;
    try {
      old = json::parse(f);
    } catch (const json::exception&) {
      old = nullptr;  // a kill while writing it: rewrite below
    }
    if (!old.is_null() && old != raw)
      throw InputError("CONFIG", "differs from the sweep already in " + dir + " (use a new -o DIR)", cfg.string());
    if (!old.is_null()) return;
  }
  const fs::path tmp = per_process_tmp(cfg);
  { std::ofstream(tmp) << raw.dump(2) << "\n"; }
  fs::rename(tmp, cfg);
}

bool has_results(const std::string& dir) { return fs::is_directory(dir) && !results_files(dir).empty(); }

std::string row_key_of(int point, int realisation) {
  std::ostringstream os;  // (string operator+ chains trip GCC 12's -Wrestrict false positive)
  os << 'p' << point << "_r" << realisation;
  return os.str();
}

std::vector<std::string> all_rows(const std::string& dir, const std::string& header) {
  std::vector<std::string> rows;
  std::set<std::string> seen;
  for (const auto& f : results_files(dir))
    for (auto& row : read_complete_rows(f, header))
      if (seen.insert(row_key(row)).second) rows.push_back(std::move(row));
  return rows;
}

std::vector<std::string> summary_rows(const std::string& dir, const std::string& header) {
  if (!has_results(dir)) throw InputError("results.csv", "missing", dir);
  return all_rows(dir, header);
}

std::size_t merge_results(const json& raw, const std::string& dir, const std::string& header) {
  prepare_dir(raw, dir);
  auto rows = all_rows(dir, header);
  auto order = [](const std::string& row) {
    const auto v = split_csv(row);
    return std::make_pair(int_cell(v.at(1)), int_cell(v.at(2)));  // point, realisation
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const std::string& a, const std::string& b) { return order(a) < order(b); });
  const fs::path target = fs::path(dir) / "results.csv", tmp = per_process_tmp(target);
  {
    std::ofstream out(tmp, std::ios::binary);
    out << header << "\n";
    for (const auto& row : rows) out << row << "\n";
    if (!out.flush()) throw std::runtime_error("writing " + tmp.string() + " failed");
  }
  sync_to_disk(tmp);  // on disk before the shard files go
  fs::rename(tmp, target);
  for (const auto& f : results_files(dir))
    if (fs::path(f).filename() != "results.csv") fs::remove(f);
  return rows.size();
}

void write_file(const std::string& dir, const std::string& name, const std::string& text) {
  const fs::path target = fs::path(dir) / name, tmp = per_process_tmp(target);
  { std::ofstream(tmp) << text; }
  fs::rename(tmp, target);
}

std::string csv_cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::ostringstream s;
    for (std::size_t i = 0; i < v.size(); ++i) s << (i ? ";" : "") << csv_cell(v[i]);
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

}  // namespace isacbf::sweep
