#pragma once
// An append-only CSV that survives being killed at any point (kill -9 included): rows are appended a
// batch at a time and fsync'ed; on reopening, a partial last line (no trailing newline) is cut off and
// the keys (first column) of the complete rows are read back, so a rerun skips exactly those.
#include <set>
#include <string>
#include <vector>

namespace isacbf::model_a {

class ResultsFile {
 public:
  // Creates the file with `header` when missing; otherwise requires the same header (InputError
  // "results.csv" if it differs: a different sweep wrote it).
  ResultsFile(std::string path, const std::string& header);
  const std::set<std::string>& done() const { return done_; }
  // Appends complete lines (each without its newline) and fsyncs before returning.
  void append(const std::vector<std::string>& lines);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::set<std::string> done_;
};

// Splits a CSV line on commas (our rows never quote: lists are ';'-joined).
std::vector<std::string> split_csv(const std::string& line);

}  // namespace isacbf::model_a
