#include "apps/bench_table.hpp"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"

namespace isacbf::apps {

void write_csv_file(const std::string& path, const std::string& header, const std::vector<std::string>& rows) {
  if (path.empty()) return;
  std::ofstream out(path);
  if (!out) throw InputError("csv", "cannot write '" + path + "'");
  out << header << "\n";
  for (const auto& r : rows) out << r << "\n";
  json_io::check_written(out, path);
}

std::string cell(double value, int precision) {
  if (std::isnan(value)) return "n/a";
  std::ostringstream s;
  s << std::setprecision(precision) << value;
  return s.str();
}

void BenchTable::print_header(std::ostream& os) const {
  for (const auto& c : columns_)
    if (c.on_screen) os << std::setw(c.width) << c.name;
  os << "\n";
}

void BenchTable::add_row(std::vector<std::string> cells, std::ostream& os) {
  if (cells.size() != columns_.size()) throw std::logic_error("bench table: a row needs one cell per column");
  std::string csv;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (columns_[i].on_screen) os << std::setw(columns_[i].width) << cells[i];
    csv += (i ? "," : "") + cells[i];
  }
  os << std::endl;  // rows come minutes apart: show each at once
  csv_rows_.push_back(std::move(csv));
  write_csv();
}

void BenchTable::write_csv() const {
  std::string header;
  for (std::size_t i = 0; i < columns_.size(); ++i) header += (i ? "," : "") + columns_[i].name;
  write_csv_file(csv_, header, csv_rows_);
}

}  // namespace isacbf::apps
