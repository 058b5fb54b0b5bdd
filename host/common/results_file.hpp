#pragma once
// An append-only CSV that survives being killed at any point (kill -9 included): rows are appended a
// batch at a time and fsync'ed; on reopening, a partial last line (no trailing newline) is cut off and
// the keys (first column) of the complete rows are read back, so a rerun skips exactly those.
#include <set>
#include <string>
#include <vector>

namespace isacbf::sweep {

class ResultsFile {
 public:
  // Creates the file with `header` when missing; otherwise requires the same header (InputError
  // "results.csv" if it differs: a different sweep wrote it) and well-formed rows (check_row).
  ResultsFile(std::string path, const std::string& header);
  const std::set<std::string>& done() const { return done_; }
  // Appends complete lines (each without its newline) and fsyncs before returning.
  void append(const std::vector<std::string>& lines);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::set<std::string> done_;
};

// The complete rows (without the header) of a results file another process may still be appending to:
// a partial last line is skipped, not cut. InputError("results.csv") when its header is not `header`,
// a row is malformed (check_row) or the path is not a regular file.
std::vector<std::string> read_complete_rows(const std::string& path, const std::string& header);

// The key (first cell) of a row.
std::string row_key(const std::string& row);

// Splits a CSV line on commas (our rows never quote: lists are ';'-joined).
std::vector<std::string> split_csv(const std::string& line);

// A numeric cell of a results row; InputError("results.csv") when it is not a whole number / a number
// (a file edited or damaged by hand).
int int_cell(const std::string& cell);
double number_cell(const std::string& cell);

// A row as read back from a results file: as many cells as the header, a key p<point>_r<realisation>
// whose numbers are the next two cells. InputError("results.csv", "line N: ...") naming the file
// otherwise.
void check_row(const std::string& row, std::size_t columns, const std::string& path, std::size_t line);

}  // namespace isacbf::sweep
