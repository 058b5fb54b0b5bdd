#pragma once
// The output directory of a Monte Carlo sweep, shared by model A's and model B's sweeps (docs/sweep.md):
// DIR/config.json (the config, so that a different sweep is refused), the results files (results.csv, or
// one results.shard-I-of-N.csv per process; every row keyed p<point>_r<realisation>), summary.csv. Files
// several processes may write are replaced atomically (a per-process temporary, then rename).
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "host/common/errors.hpp"
#include "host/common/results_file.hpp"
#include "host/common/sweep_shard.hpp"

namespace isacbf::sweep {

// A grid over named parameters, in the config's key order; one point = one value per key.
using Grid = std::vector<std::pair<std::string, std::vector<nlohmann::json>>>;

struct GridPoint {
  int index = 0;
  std::vector<nlohmann::json> values;  // parallel to the Grid
};

// What every sweep config holds besides its model's scenario and solver choices.
struct ConfigCommon {
  nlohmann::json raw;       // the config as given (copied into DIR)
  Grid grid;                // in the config's key order
  int realisations = 1;
  std::uint64_t seed = 1;   // realisation r uses seed + r at every point
  std::string backend = "cpu";
  int batch_size = 64;      // instances per batch
};

// InputError("config") unless j is an object, InputError(KEY) for a key not in `known`; keeps j as raw.
void check_keys(const nlohmann::json& j, const std::vector<std::string>& known, ConfigCommon& c);
// "realisations", "seed" and "batch_size" (defaults when absent), InputError naming a bad one.
void read_repetitions(const nlohmann::json& j, ConfigCommon& c);

// The config's "grid" object: {name: [values...]}, every value passed to check(name, value), which
// throws InputError for a bad one (re-thrown naming "grid.NAME[i]"; a JSON type error reads "has the
// wrong type").
Grid parse_grid(const nlohmann::json& grid, const std::function<void(const std::string&, const nlohmann::json&)>& check);

// The cartesian product, last key fastest.
std::vector<GridPoint> cartesian_grid(const Grid& grid);

// check(point) for every point before any work; its InputError comes back naming the grid's value
// ("grid.P_dBm[2]") when the grid sets that field, with the point's values in the message.
void check_points(const Grid& grid, const std::function<void(const GridPoint&)>& check);

// A config file's JSON; InputError("CONFIG") naming the file when it is a directory or unreadable;
// json_io::parse_text's errors (naming the JSON path) when it is not JSON, repeats a key or nests
// deeper than 64 levels.
nlohmann::json read_config_json(const std::string& path);
// parse(j) for the JSON read from `path`, its InputError with the file attached.
template <typename Parse>
auto parse_config(const nlohmann::json& j, const std::string& path, Parse parse) {
  try {
    return parse(j);
  } catch (const InputError& e) {
    throw e.in_file(path);
  }
}

// One instance of a sweep, and the instances a process still has to solve.
struct Job {
  const GridPoint* point;
  int realisation;
};
struct Plan {
  std::size_t total = 0;  // the shard's instances
  std::vector<Job> todo;  // those whose key is not done, point major, realisation minor
};
// Shard I of N takes the instances whose index over the whole sweep (point major, realisation minor)
// is I mod N.
Plan plan(const std::vector<GridPoint>& points, int realisations, const Shard& shard, const std::set<std::string>& done);

struct Report {
  std::size_t total = 0;    // instances in the sweep (in this shard's share)
  std::size_t skipped = 0;  // already in a results file of DIR when this run started
  std::size_t solved = 0;   // solved by this run
};
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Solves plan.todo in batches of batch_size: solve(jobs) returns one row per job. Each batch's rows are
// appended to results (fsync'ed) before the next starts; progress after each batch.
Report run_batches(const Plan& plan, int batch_size, ResultsFile& results,
                   const std::function<std::vector<std::string>(const std::vector<Job>&)>& solve, const ProgressFn& progress);

// The keys already solved: own's rows and every complete row of every results file in DIR.
std::set<std::string> done_keys(const ResultsFile& own, const std::string& dir, const std::string& header);

// Creates DIR and DIR/config.json (raw), or checks that the one there is the same (InputError("CONFIG")
// naming the file otherwise; a config.json cut short by a kill is rewritten). InputError("output") when
// DIR is empty, is a file or cannot be created.
void prepare_dir(const nlohmann::json& raw, const std::string& dir);

// Whether DIR holds a results file (results.csv or a shard's).
bool has_results(const std::string& dir);

// "p<point>_r<realisation>", the first column of every row.
std::string row_key_of(int point, int realisation);

// Every complete row of every results file in DIR, a key once (results.csv first, then the shard files
// in name order). InputError("results.csv") when a file's header is not `header`.
std::vector<std::string> all_rows(const std::string& dir, const std::string& header);

// all_rows for a summary: InputError("results.csv", "missing") when DIR has no results file.
std::vector<std::string> summary_rows(const std::string& dir, const std::string& header);

// Checks DIR's config (prepare_dir), gathers all_rows into DIR/results.csv sorted by point and
// realisation (columns 1 and 2), removes the shard files; returns the number of rows.
std::size_t merge_results(const nlohmann::json& raw, const std::string& dir, const std::string& header);

// Writes DIR/NAME atomically (summary.csv).
void write_file(const std::string& dir, const std::string& name, const std::string& text);

// A JSON value as one CSV cell: strings bare, numbers with 10 digits, arrays ';'-joined, null empty.
std::string csv_cell(const nlohmann::json& value);

}  // namespace isacbf::sweep
