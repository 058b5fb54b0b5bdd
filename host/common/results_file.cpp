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

std::vector<std::string> read_complete_rows(const std::string& path, const std::string& header) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("reading " + path + ": cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string content = ss.str();
  const auto last_nl = content.rfind('\n');
  std::istringstream lines(last_nl == std::string::npos ? std::string() : content.substr(0, last_nl + 1));
  std::string line;
  std::vector<std::string> rows;
  if (!std::getline(lines, line)) return rows;  // not even a complete header yet
  if (line != header)
    throw InputError("results.csv", "exists with different columns (another sweep wrote it); use a new -o DIR", path);
  while (std::getline(lines, line))
    if (!line.empty()) rows.push_back(line);
  return rows;
}

ResultsFile::ResultsFile(std::string path, const std::string& header) : path_(std::move(path)) {
  if (!fs::exists(path_) || fs::file_size(path_) == 0) {
    append_synced(path_, header + "\n");
    return;
  }
  std::string content;
  {
    std::ifstream f(path_, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    content = ss.str();
  }
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
  std::istringstream lines(content);
  std::string line;
  std::getline(lines, line);
  if (line != header)
    throw InputError("results.csv", "exists with different columns (another sweep wrote it); use a new -o DIR", path_);
  while (std::getline(lines, line))
    if (!line.empty()) done_.insert(row_key(line));
}

void ResultsFile::append(const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  append_synced(path_, text);
  for (const auto& l : lines) done_.insert(row_key(l));
}

}  // namespace isacbf::sweep
