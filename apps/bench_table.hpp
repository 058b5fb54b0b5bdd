#pragma once
// Output of the `isacbf bench` modes: rows printed as a fixed-width table as they come, and the same
// rows written as CSV (--csv) with the column names as header.
#include <ostream>
#include <string>
#include <vector>

namespace isacbf::apps {

// Writes header and rows to path; nothing for an empty path; InputError("csv") when it cannot write.
void write_csv_file(const std::string& path, const std::string& header, const std::vector<std::string>& rows);

// A number for a table cell / CSV field: NaN (a column that did not run) becomes "n/a".
std::string cell(double value, int precision = 4);

struct BenchColumn {
  std::string name;
  int width = 10;
  bool on_screen = true;  // false: CSV only (keeps the printed table readable)
};

class BenchTable {
 public:
  // csv: rewritten after every row, so a run stopped part-way (a time limit) keeps the rows it made.
  // Writes the header at once: an unwritable path fails before the benchmark runs.
  explicit BenchTable(std::vector<BenchColumn> columns, std::string csv = {})
      : columns_(std::move(columns)), csv_(std::move(csv)) { write_csv(); }
  void print_header(std::ostream& os) const;
  // One cell per column, in order; echoes the on-screen cells to os.
  void add_row(std::vector<std::string> cells, std::ostream& os);

 private:
  void write_csv() const;
  std::vector<BenchColumn> columns_;
  std::string csv_;
  std::vector<std::string> csv_rows_;
};

}  // namespace isacbf::apps
