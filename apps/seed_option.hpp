#pragma once
// Seeds are unsigned 64-bit integers. CLI11 converts "-1" to 2^64 - 1 without complaint, so a seed
// option first checks that it was written as plain decimal digits (exit 2 naming the option otherwise).
#include <CLI/CLI.hpp>
#include <string>

namespace isacbf::apps {

inline CLI::Validator whole_number_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return {};
        return "must be a whole number >= 0 (a seed), got '" + text + "'";
      },
      "UINT64");
}

}  // namespace isacbf::apps
