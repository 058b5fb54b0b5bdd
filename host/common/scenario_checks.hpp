#pragma once
// What both models' scenario generators share: the field checks of their validate() and the
// "object of named parameters -> Scenario" reader (model check, one set_parameter per key, validate).
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf::scenario {

inline void check_finite(double x, const char* name) {
  if (!std::isfinite(x)) throw InputError(name, "must be finite");
}

inline void check_positive(double x, const char* name) {
  if (!(x > 0.0) || !std::isfinite(x)) throw InputError(name, "must be finite and > 0");
}

// Scenario's namespace supplies set_parameter(Scenario&, name, value) and validate(const Scenario&),
// found by argument-dependent lookup.
template <class Scenario>
Scenario from_json(const nlohmann::json& j, const char* model_name) {
  if (!j.is_object()) throw InputError("<scenario>", "expected a JSON object of scenario parameters");
  Scenario s;
  for (const auto& [name, value] : j.items()) {
    if (name == "model") {
      if (value != model_name) throw InputError("model", std::string("expected \"") + model_name + "\"");
      continue;
    }
    set_parameter(s, name, value);
  }
  validate(s);
  return s;
}

}  // namespace isacbf::scenario
