#pragma once
// Name and one-line description of a scenario parameter (CLI --help, docs, sweep configs).
#include <string>

namespace isacbf {

struct ParameterInfo {
  std::string name;
  std::string help;
};

}  // namespace isacbf
