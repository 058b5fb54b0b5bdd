#include "host/common/json_io.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/common/input_file.hpp"

namespace isacbf::json_io {

std::string child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

namespace {
std::string type_name(const json& value) { return value.is_null() ? "null" : value.type_name(); }
}  // namespace

const json& require(const json& obj, const std::string& path, const std::string& key) {
  if (!obj.is_object()) throw InputError(path.empty() ? "<root>" : path, "expected a JSON object, got " + type_name(obj));
  const auto it = obj.find(key);
  if (it == obj.end()) throw InputError(child(path, key), "missing required field");
  return *it;
}

bool has(const json& obj, const std::string& key) {
  if (!obj.is_object()) return false;
  const auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

double number(const json& value, const std::string& path) {
  if (!value.is_number()) throw InputError(path, "expected a finite number, got " + type_name(value));
  const double x = value.get<double>();
  if (!std::isfinite(x)) throw InputError(path, "expected a finite number");
  return x;
}

double positive_number(const json& value, const std::string& path) {
  const double x = number(value, path);
  if (!(x > 0.0)) throw InputError(path, "must be > 0, got " + value.dump());
  return x;
}

double require_number(const json& obj, const std::string& path, const std::string& key) {
  return number(require(obj, path, key), child(path, key));
}

double require_positive(const json& obj, const std::string& path, const std::string& key) {
  return positive_number(require(obj, path, key), child(path, key));
}

double optional_number(const json& obj, const std::string& path, const std::string& key, double fallback) {
  return has(obj, key) ? number(obj.at(key), child(path, key)) : fallback;
}

long long integer(const json& value, const std::string& path, long long low, long long high) {
  const double x = number(value, path);
  if (x != std::floor(x)) throw InputError(path, "expected an integer, got " + value.dump());
  if (x < static_cast<double>(low) || x > static_cast<double>(high))
    throw InputError(path, "must be in [" + std::to_string(low) + ", " + std::to_string(high) + "], got " + value.dump());
  return static_cast<long long>(x);
}

int require_int(const json& obj, const std::string& path, const std::string& key, int low, int high) {
  return static_cast<int>(integer(require(obj, path, key), child(path, key), low, high));
}

int optional_int(const json& obj, const std::string& path, const std::string& key, int fallback, int low, int high) {
  return has(obj, key) ? static_cast<int>(integer(obj.at(key), child(path, key), low, high)) : fallback;
}

std::uint64_t unsigned_integer(const json& value, const std::string& path) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<long long>() >= 0) return static_cast<std::uint64_t>(value.get<long long>());
  throw InputError(path, "expected a non-negative integer, got " + value.dump());
}

void reject_unknown_keys(const json& obj, const std::string& path, std::initializer_list<const char*> known) {
  if (!obj.is_object()) return;
  for (const auto& item : obj.items()) {
    const bool listed = std::any_of(known.begin(), known.end(), [&](const char* k) { return item.key() == k; });
    if (!listed) throw InputError(child(path, item.key()), "unknown key (misspelt? see docs/formats.md)");
  }
}

std::vector<double> number_array(const json& value, const std::string& path, long expected_size) {
  if (!value.is_array()) throw InputError(path, "expected an array of numbers, got " + type_name(value));
  if (expected_size >= 0 && static_cast<long>(value.size()) != expected_size)
    throw InputError(path, "expected " + std::to_string(expected_size) + " entries, got " + std::to_string(value.size()));
  std::vector<double> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(number(value[i], at(path, i)));
  return out;
}

Eigen::VectorXcd complex_vector(const json& value, const std::string& path, long expected_size) {
  reject_unknown_keys(value, path, {"re", "im"});
  const auto re = number_array(require(value, path, "re"), child(path, "re"), expected_size);
  const auto im = number_array(require(value, path, "im"), child(path, "im"), static_cast<long>(re.size()));
  Eigen::VectorXcd v(static_cast<Eigen::Index>(re.size()));
  for (std::size_t i = 0; i < re.size(); ++i) v(static_cast<Eigen::Index>(i)) = {re[i], im[i]};
  return v;
}

json to_json(const Eigen::VectorXcd& v) {
  json re = json::array(), im = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    re.push_back(v(i).real());
    im.push_back(v(i).imag());
  }
  return {{"re", re}, {"im", im}};
}

std::complex<double> complex_scalar(const json& value, const std::string& path) {
  reject_unknown_keys(value, path, {"re", "im"});
  return {require_number(value, path, "re"), require_number(value, path, "im")};
}

json to_json(std::complex<double> z) { return {{"re", z.real()}, {"im", z.imag()}}; }

namespace {
// Reads a list of rows (each an array of numbers) into a real matrix of known or inferred shape.
Eigen::MatrixXd real_rows(const json& value, const std::string& path, long rows, long cols) {
  if (!value.is_array()) throw InputError(path, "expected an array of rows, got " + type_name(value));
  if (rows >= 0 && static_cast<long>(value.size()) != rows)
    throw InputError(path, "expected " + std::to_string(rows) + " rows, got " + std::to_string(value.size()));
  const long n_rows = static_cast<long>(value.size());
  long n_cols = cols;
  if (n_cols < 0) n_cols = n_rows == 0 ? 0 : (value[0].is_array() ? static_cast<long>(value[0].size()) : -1);
  Eigen::MatrixXd m(n_rows, std::max(0L, n_cols));
  for (long r = 0; r < n_rows; ++r) {
    const auto row = number_array(value[static_cast<std::size_t>(r)], at(path, static_cast<std::size_t>(r)), n_cols);
    for (long c = 0; c < n_cols; ++c) m(r, c) = row[static_cast<std::size_t>(c)];
  }
  return m;
}
}  // namespace

Eigen::MatrixXcd complex_matrix(const json& value, const std::string& path, long rows, long cols) {
  reject_unknown_keys(value, path, {"re", "im"});
  const Eigen::MatrixXd re = real_rows(require(value, path, "re"), child(path, "re"), rows, cols);
  const Eigen::MatrixXd im = real_rows(require(value, path, "im"), child(path, "im"), re.rows(), re.cols());
  Eigen::MatrixXcd m(re.rows(), re.cols());
  m.real() = re;
  m.imag() = im;
  return m;
}

json to_json(const Eigen::MatrixXcd& m) {
  json re = json::array(), im = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row_re = json::array(), row_im = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      row_re.push_back(m(r, c).real());
      row_im.push_back(m(r, c).imag());
    }
    re.push_back(std::move(row_re));
    im.push_back(std::move(row_im));
  }
  return {{"re", re}, {"im", im}};
}

namespace {
// Tracks the JSON path during parsing so that a parse error (e.g. the overflow 1e999) names the field,
// refuses a key that appears twice in one object (the parser would keep the last silently), and
// refuses nesting deeper than kMaxDepth (our formats are a few levels deep; writing a deeper value
// back, as a sweep does with its config, recurses once per level).
class PathTracker {
 public:
  static constexpr std::size_t kMaxDepth = 64;
  bool on_event(nlohmann::json::parse_event_t event, const json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if ((event == E::object_start || event == E::array_start) && frames_.size() >= kMaxDepth)
      throw InputError(outermost(), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    switch (event) {
      case E::object_start: frames_.push_back({false, {}, 0, {}}); break;
      case E::array_start: frames_.push_back({true, {}, 0, {}}); break;
      case E::key:
        if (!frames_.empty()) {
          frames_.back().key = parsed.get<std::string>();
          if (!frames_.back().seen_keys.insert(frames_.back().key).second) throw InputError(path(), "duplicate key");
        }
        break;
      case E::object_end:
      case E::array_end:
        if (!frames_.empty()) frames_.pop_back();
        element_done();
        break;
      case E::value: element_done(); break;
    }
    return true;
  }
  std::string path() const {
    std::string p;
    for (const auto& f : frames_) p = f.is_array ? at(p, f.index) : child(p, f.key);
    return p.empty() ? "<root>" : p;
  }
  // The top-level member (or element) being read: a short name for errors about the whole value.
  std::string outermost() const {
    if (frames_.size() < 2) return "<root>";
    return frames_.front().is_array ? at("", frames_.front().index) : frames_.front().key;
  }

 private:
  struct Frame {
    bool is_array;
    std::string key;
    std::size_t index;
    std::set<std::string> seen_keys;
  };
  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }
  std::vector<Frame> frames_;
};
}  // namespace

json parse_text(const std::string& text, const std::string& file) {
  PathTracker tracker;
  try {
    return json::parse(text, [&tracker](int, json::parse_event_t event, json& parsed) { return tracker.on_event(event, parsed); });
  } catch (const json::exception& e) {
    throw InputError(tracker.path(), std::string("invalid JSON: ") + e.what(), file);
  } catch (const InputError& e) {
    throw e.in_file(file);
  }
}

json parse_file(const std::string& file) {
  return parse_text(read_input_file(file, "<file>", "JSON"), file);
}

std::string dump(const json& value) { return value.dump(2) + "\n"; }

void write_file(const json& value, const std::string& file) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError("-o", "cannot open output file for writing", file);
  out << dump(value);
  check_written(out, file);
}

void write_output(const json& value, const std::string& file) {
  if (file.empty() || file == "-") {
    std::cout << dump(value);
    check_written(std::cout, "standard output");
  } else {
    write_file(value, file);
  }
}

void check_written(std::ostream& out, const std::string& what) {
  out.flush();
  if (!out) throw std::runtime_error("write failed: " + what);
}

}  // namespace isacbf::json_io
