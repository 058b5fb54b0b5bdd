#pragma once
// Error types shared by every entry point. The CLI maps them to exit codes (formats.md):
// InputError -> 2 (message names the field and the file), GpuUnavailable -> 3, anything else -> 1.
#include <stdexcept>
#include <string>

namespace isacbf {

class InputError : public std::runtime_error {
 public:
  InputError(std::string field, const std::string& message, std::string file = {})
      : std::runtime_error(compose(field, message, file)), field_(std::move(field)), file_(std::move(file)) {}
  const std::string& field() const { return field_; }
  const std::string& file() const { return file_; }

  // Re-throw with the file name attached (readers catch and add it once they know the path).
  InputError in_file(const std::string& file) const { return InputError(field_, bare_message(), file); }
  // Re-throw with the field nested under a prefix ("problems[3]" + "." + "C").
  InputError nested_in(const std::string& prefix) const { return InputError(prefix + "." + field_, bare_message(), file_); }

 private:
  static std::string compose(const std::string& field, const std::string& message, const std::string& file) {
    std::string text = file.empty() ? std::string() : file + ": ";
    return text + "field '" + field + "': " + message;
  }
  std::string bare_message() const {
    const std::string full = what();
    const std::string key = "field '" + field_ + "': ";
    const auto pos = full.find(key);
    return pos == std::string::npos ? full : full.substr(pos + key.size());
  }
  std::string field_;
  std::string file_;
};

class GpuUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int other = 1;
inline constexpr int bad_input = 2;
inline constexpr int no_gpu = 3;
}  // namespace exit_code

}  // namespace isacbf
