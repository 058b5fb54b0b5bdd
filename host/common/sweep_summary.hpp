#pragma once
// The statistics behind a sweep's summary.csv, shared by model A's and model B's sweeps: the results
// rows of a directory grouped by grid point, with status counts and, over the rows that carry metrics,
// sums, squared sums and minima of named columns. Each model chooses its summary columns from these.
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace isacbf::sweep {

struct PointStats {
  int rows = 0;
  std::map<std::string, int> statuses;  // rows per value of the "status" column
  int measured = 0;                     // rows whose measured column is not empty
  std::map<std::string, double> sum, sum_sq, min;  // over the measured rows

  int count(const std::string& status) const;
  double mean(const std::string& column) const;    // over the measured rows (0 without any)
  double stddev(const std::string& column) const;  // sample standard deviation (0 below two rows)
  double minimum(const std::string& column) const;  // +infinity without any entry
};

struct SummarySpec {
  std::string measured;              // the column whose emptiness marks a row without metrics
  std::vector<std::string> numbers;  // columns summed (and squared) over the measured rows
  std::vector<std::string> lists;    // ';'-separated number lists, minimised entry by entry
};

// The rows of dir's results files (summary_rows: InputError when there are none) grouped by their
// "point" column. Rows with fewer cells than the header are skipped; std::runtime_error when the header
// lacks a column of the spec or "point" / "status".
std::map<int, PointStats> point_stats(const std::string& dir, const std::string& header, const SummarySpec& spec);

}  // namespace isacbf::sweep
