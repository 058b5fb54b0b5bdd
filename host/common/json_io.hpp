#pragma once
// JSON helpers for the instance/design/scenario formats (docs/formats.md). Every reader takes the
// JSON path of the value it reads (e.g. "channels.g[1]") and throws InputError naming the exact
// field (e.g. "channels.g[1].re[3]") when the value is missing, of the wrong type, not finite or
// out of range.
#include <Eigen/Dense>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "host/common/errors.hpp"

namespace isacbf::json_io {

using nlohmann::json;

// Path composition: child("channels", "g") = "channels.g", child("", "Nt") = "Nt", at("g", 1) = "g[1]".
std::string child(const std::string& path, const std::string& key);
std::string at(const std::string& path, std::size_t index);

// The member `key` of the object `obj` (at `path`); InputError if obj is not an object or lacks it.
const json& require(const json& obj, const std::string& path, const std::string& key);
bool has(const json& obj, const std::string& key);  // present and not null

// Numbers: must be JSON numbers and finite (JSON cannot hold NaN; a string or null is rejected).
double number(const json& value, const std::string& path);
double positive_number(const json& value, const std::string& path);  // > 0
double require_number(const json& obj, const std::string& path, const std::string& key);
double require_positive(const json& obj, const std::string& path, const std::string& key);
double optional_number(const json& obj, const std::string& path, const std::string& key, double fallback);
// Integers: a JSON integer (or an integral float such as 8.0) within [low, high].
long long integer(const json& value, const std::string& path, long long low, long long high);
int require_int(const json& obj, const std::string& path, const std::string& key, int low, int high);
int optional_int(const json& obj, const std::string& path, const std::string& key, int fallback, int low, int high);
std::uint64_t unsigned_integer(const json& value, const std::string& path);

// InputError naming `path.key` for the first member of the object `obj` not in `known` (readers
// refuse keys they would silently ignore: a typo such as "N_rf" must not fall back to a default).
void reject_unknown_keys(const json& obj, const std::string& path, std::initializer_list<const char*> known);

// Arrays of numbers; expected_size < 0 means any length.
std::vector<double> number_array(const json& value, const std::string& path, long expected_size = -1);

// Complex vector {"re": [...], "im": [...]}; expected_size < 0 means any length.
Eigen::VectorXcd complex_vector(const json& value, const std::string& path, long expected_size = -1);
json to_json(const Eigen::VectorXcd& v);
// Complex scalar {"re": r, "im": i}.
std::complex<double> complex_scalar(const json& value, const std::string& path);
json to_json(std::complex<double> z);
// Complex matrix {"re": [[row], ...], "im": [[row], ...]}; rows/cols < 0 mean any.
Eigen::MatrixXcd complex_matrix(const json& value, const std::string& path, long rows = -1, long cols = -1);
json to_json(const Eigen::MatrixXcd& m);

// Whole files. parse_file: InputError (file named) when the file is missing, a directory or not
// valid JSON; the field of a parse error is the JSON path reached so far, and a key that appears
// twice in one object is an error naming that key. write_file: pretty-printed, 2-space
// indent, numbers in shortest round-trip form, trailing newline (same value -> same bytes).
json parse_text(const std::string& text, const std::string& file = {});
json parse_file(const std::string& file);
std::string dump(const json& value);
void write_file(const json& value, const std::string& file);
// write_file, or standard output when `file` is empty or "-" (the -o convention of every command).
void write_output(const json& value, const std::string& file);
// Flushes `out` and throws std::runtime_error("write failed: WHAT") when any write to it failed
// (a full disk or /dev/full only shows at the flush).
void check_written(std::ostream& out, const std::string& what);

// Parses `file` and converts it with `convert(json)`; an InputError from the conversion gets the file
// named (the one shape every instance/design reader shares).
template <class Convert>
auto read_file_as(const std::string& file, Convert&& convert) -> decltype(convert(std::declval<const json&>())) {
  const json j = parse_file(file);
  try {
    return convert(j);
  } catch (const InputError& e) {
    throw e.in_file(file);
  }
}

}  // namespace isacbf::json_io
