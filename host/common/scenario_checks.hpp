#pragma once
// What both models' scenario generators share: the field checks of their validate() and the
// "object of named parameters -> Scenario" reader (model check, one set_parameter per key, validate).
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "host/common/errors.hpp"

namespace isacbf::scenario {

inline void check_finite(double x, const char* name) {
  if (!std::isfinite(x)) throw InputError(name, "must be finite");
}

inline void check_positive(double x, const char* name) {
  if (!(x > 0.0) || !std::isfinite(x)) throw InputError(name, "must be finite and > 0");
}

// One input of a channel gain as the generator computes it: its scenario name, value and default.
struct GainInput {
  std::string name;
  double value;
  double fallback;
};

// A channel gain (a path loss, a variance) must be finite and > 0: the generator draws CN(0, gain)
// entries and every channel must be nonzero. gain(values) computes it from the inputs' values; when
// it is out of range the InputError names the input whose default would bring the gain closest to 1
// (e.g. "d0" for d0 = 1e300, "d_BU[0]" for d_BU = 1e-300), so the message points at what was typed.
template <class Gain>
void check_gain(const std::vector<GainInput>& inputs, Gain&& gain, const std::string& what) {
  std::vector<double> values;
  for (const auto& in : inputs) values.push_back(in.value);
  const double g = gain(values);
  if (std::isfinite(g) && g > 0.0) return;
  std::size_t culprit = 0;
  double best = INFINITY;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::vector<double> trial = values;
    trial[i] = inputs[i].fallback;
    const double t = gain(trial);
    const double score = std::isfinite(t) && t > 0.0 ? std::abs(std::log10(t)) : INFINITY;
    if (score < best) best = score, culprit = i;
  }
  std::ostringstream msg;
  msg << "makes the " << what << " " << g << ", not a finite positive number (from";
  for (const auto& in : inputs) msg << " " << in.name << " = " << in.value;
  msg << ")";
  throw InputError(inputs[culprit].name, msg.str());
}

// A noise after the generator's offset (sigma - snr_offset_dB) must stay within the instance's
// +-1000 dBm; the offset is named when the noise itself is in range.
inline void check_offset_noise(double noise_dBm, const char* noise_name, double offset_dB, const char* offset_name) {
  if (std::abs(noise_dBm - offset_dB) <= 1000.0) return;
  const char* name = std::abs(noise_dBm) <= 1000.0 ? offset_name : noise_name;
  throw InputError(name, std::string("puts ") + noise_name + " - " + offset_name + " outside +-1000 dBm");
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
