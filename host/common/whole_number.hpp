#pragma once
// Whole non-negative decimal numbers as launchers and users write them in options and environment
// variables ("3", not "+3", "3.0" or " 3").
#include <string>

namespace isacbf {

// The value of s, or -1 when s is not 1 to 9 decimal digits.
inline long parse_whole_number(const std::string& s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stol(s);
}

}  // namespace isacbf
