#pragma once
// Numbers as the SDPA and CBF readers take them from a file's tokens: InputError with field "line N".
#include <string>

namespace isacbf::conic {

std::string line_field(int line);  // "line N"

// A finite double (a subnormal such as 1e-320 is finite); "WHAT: 'TEXT' is not a finite number" else.
double file_number(const std::string& text, int line, const std::string& what);

// An integer in [low, high]; "is not an integer" or "is out of range (LOW..HIGH)" else.
long file_integer(const std::string& text, int line, const std::string& what, long low, long high);

}  // namespace isacbf::conic
