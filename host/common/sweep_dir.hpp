#pragma once
// The output directory of a Monte Carlo sweep, shared by model A's and model B's sweeps (docs/sweep.md):
// DIR/config.json (the config, so that a different sweep is refused), the results files (results.csv, or
// one results.shard-I-of-N.csv per process; every row keyed p<point>_r<realisation>), summary.csv. Files
// several processes may write are replaced atomically (a per-process temporary, then rename).
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace isacbf::sweep {

// A grid over named parameters, in the config's key order; one point = one value per key.
using Grid = std::vector<std::pair<std::string, std::vector<nlohmann::json>>>;

struct GridPoint {
  int index = 0;
  std::vector<nlohmann::json> values;  // parallel to the Grid
};

// The cartesian product, last key fastest.
std::vector<GridPoint> cartesian_grid(const Grid& grid);

// Creates DIR and DIR/config.json (raw), or checks that the one there is the same (InputError("CONFIG")
// naming the file otherwise; a config.json cut short by a kill is rewritten).
void prepare_dir(const nlohmann::json& raw, const std::string& dir);

// Whether DIR holds a results file (results.csv or a shard's).
bool has_results(const std::string& dir);

// "p<point>_r<realisation>", the first column of every row.
std::string row_key_of(int point, int realisation);

// Every complete row of every results file in DIR, a key once (results.csv first, then the shard files
// in name order). InputError("results.csv") when a file's header is not `header`.
std::vector<std::string> all_rows(const std::string& dir, const std::string& header);

// Gathers all_rows into DIR/results.csv sorted by point and realisation (columns 1 and 2), removes the
// shard files; returns the number of rows.
std::size_t merge_results(const std::string& dir, const std::string& header);

// Writes DIR/NAME atomically (summary.csv).
void write_file(const std::string& dir, const std::string& name, const std::string& text);

// A JSON value as one CSV cell: strings bare, numbers with 10 digits, arrays ';'-joined, null empty.
std::string csv_cell(const nlohmann::json& value);

}  // namespace isacbf::sweep
