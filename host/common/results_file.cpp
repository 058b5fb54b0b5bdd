#include "host/common/results_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "host/common/errors.hpp"
#include "host/common/whole_number.hpp"

namespace isacbf::sweep {

namespace fs = std::filesystem;

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream is(line);
  while (std::getline(is, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

namespace {
void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("writing " + path + ": " + std::strerror(errno));
    }
    off += static_cast<std::size_t>(n);
  }
}
void append_synced(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) throw std::runtime_error("opening " + path + ": " + std::strerror(errno));
  write_all(fd, text, path);
  ::fsync(fd);
  ::close(fd);
}
}  // namespace

std::string row_key(const std::string& row) { return row.substr(0, row.find(',')); }

int int_cell(const std::string& cell) {
  const long v = parse_whole_number(cell);
  if (v < 0 || v > 2147483647L) throw InputError("results.csv", "a row has '" + cell + "' where a whole number belongs");
  return static_cast<int>(v);
}

double number_cell(const std::string& cell) {
  std::size_t used = 0;
  double v = 0.0;
  try {
    v = std::stod(cell, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != cell.size()) throw InputError("results.csv", "a row has '" + cell + "' where a number belongs");
  return v;
}

void check_row(const std::string& row, std::size_t columns, const std::string& path, std::size_t line) {
  const std::vector<std::string> cells = split_csv(row);
  const std::string at = "line " + std::to_string(line) + ": ";
  if (cells.size() != columns)
    throw InputError("results.csv", at + std::to_string(cells.size()) + " cells where the header has " + std::to_string(columns), path);
  const std::string& key = cells[0];
  const auto r = key.find("_r");
  const bool ok = key.size() > 3 && key[0] == 'p' && r != std::string::npos && parse_whole_number(key.substr(1, r - 1)) >= 0 &&
                  key.substr(1, r - 1) == cells[1] && key.substr(r + 2) == cells[2] && parse_whole_number(cells[2]) >= 0;
  if (!ok) throw InputError("results.csv", at + "key '" + key + "' is not p<point>_r<realisation> matching the point and realisation cells", path);
}

namespace {

std::string file_content(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("reading " + path + ": cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The rows of `complete` (whole lines only), after checking its header line and every row.
std::vector<std::string> checked_rows(const std::string& complete, const std::string& header, const std::string& path) {
  std::istringstream lines(complete);
  std::string line;
  std::vector<std::string> rows;
  if (!std::getline(lines, line)) return rows;  // not even a complete header yet
  if (line != header)
    throw InputError("results.csv", "exists with different columns (another sweep wrote it); use a new -o DIR", path);
  const std::size_t columns = split_csv(header).size();
  for (std::size_t number = 2; std::getline(lines, line); ++number)
    if (!line.empty()) {
      check_row(line, columns, path, number);
      rows.push_back(line);
    }
  return rows;
}

}  // namespace

std::vector<std::string> read_complete_rows(const std::string& path, const std::string& header) {
  if (!fs::is_regular_file(path)) throw InputError("results.csv", "is not a regular file", path);
  const std::string content = file_content(path);
  const auto last_nl = content.rfind('\n');
  return checked_rows(last_nl == std::string::npos ? std::string() : content.substr(0, last_nl + 1), header, path);
}

ResultsFile::ResultsFile(std::string path, const std::string& header) : path_(std::move(path)) {
  if (fs::exists(path_) && !fs::is_regular_file(path_)) throw InputError("results.csv", "is not a regular file", path_);
  if (!fs::exists(path_) || fs::file_size(path_) == 0) {
    append_synced(path_, header + "\n");
    return;
  }
  std::string content = file_content(path_);
  const auto last_nl = content.rfind('\n');
  if (last_nl == std::string::npos) {  // not even a complete header: start over
    fs::resize_file(path_, 0);
    append_synced(path_, header + "\n");
    return;
  }
  if (last_nl + 1 != content.size()) {  // a row cut short by a kill: discard it
    fs::resize_file(path_, last_nl + 1);
    content.resize(last_nl + 1);
  }
  for (const auto& row : checked_rows(content, header, path_)) done_.insert(row_key(row));
}

void ResultsFile::append(const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  append_synced(path_, text);
  for (const auto& l : lines) done_.insert(row_key(l));
}

}  // namespace isacbf::sweep
