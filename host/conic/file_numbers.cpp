#include "host/conic/file_numbers.hpp"

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>

#include "host/common/errors.hpp"

namespace isacbf::conic {

std::string line_field(int line) { return "line " + std::to_string(line); }

double file_number(const std::string& text, int line, const std::string& what) {
  const char* s = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s, &end);
  // ERANGE with a tiny result is an underflow (1e-320 reads as a subnormal or 0): a finite value.
  const bool overflow = errno == ERANGE && std::fabs(v) > DBL_MIN;
  if (end == s || *end != '\0' || overflow || !std::isfinite(v))
    throw InputError(line_field(line), what + ": '" + text + "' is not a finite number");
  return v;
}

long file_integer(const std::string& text, int line, const std::string& what, long low, long high) {
  const double v = file_number(text, line, what);
  if (v != std::floor(v)) throw InputError(line_field(line), what + ": '" + text + "' is not an integer");
  if (v < static_cast<double>(low) || v > static_cast<double>(high))
    throw InputError(line_field(line), what + ": '" + text + "' is out of range (" + std::to_string(low) + ".." + std::to_string(high) + ")");
  return static_cast<long>(v);
}

}  // namespace isacbf::conic
