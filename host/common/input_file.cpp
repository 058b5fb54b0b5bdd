#include "host/common/input_file.hpp"

#include <filesystem>
#include <sstream>
#include <system_error>

#include "host/common/errors.hpp"

namespace isacbf {

std::ifstream open_input_file(const std::string& path, const std::string& field, const std::string& kind) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(field, "is a directory, not the " + kind + " file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(field, "cannot open the " + kind + " file", path);
  return in;
}

std::string read_input_file(const std::string& path, const std::string& field, const std::string& kind) {
  std::ifstream in = open_input_file(path, field, kind);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace isacbf
