#pragma once
// Model A scenario generator (model-a.md "Scenario generator", Table I). The scenario's JSON keys,
// the CLI options of `isacbf generate` and the names a sweep sets are the same strings.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/common/parameter_info.hpp"
#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

struct Scenario {
  int Nt = 8;
  int K = 3;
  double P_dBm = 18.0;
  // Defaults feasible at snr_offset_dB = 0: max SCNR_b ~ ||h_ce||^4 P / sigma_b^2 ~ 8.1 dB at Nt = 8,
  // P = 18 dBm, so gamma_s = 0 dB leaves ~8 dB for the data beams; gamma_se = 2 dB as in the paper.
  double gamma_s_dB = 0.0;
  double gamma_se_dB = 2.0;
  double sigma_u_dBm = -80.0;
  double sigma_t_dBm = -80.0;
  double sigma_b_dBm = -100.0;
  double snr_offset_dB = 0.0;   // lowers all three noise powers by this many dB (paper presets: 30)
  double theta_t_deg = 0.0;     // target angle
  double rcs = 1.0;             // radar cross-section, m^2
  // Per-user distances (m); entry k is list[k mod length] when the length differs from K.
  std::vector<double> d_BU{30.0, 30.0, 30.0};
  std::vector<double> d_UT{25.0, 25.0, 30.0};
  double d_BT = 50.0;
  double pl_exp_BU = 3.3;       // path-loss exponents l of PL(d) = C0 (d0/d)^l
  double pl_exp_BT = 2.0;
  double pl_exp_UT = 2.3;
  double C0_dB = -30.0;
  double d0 = 1.0;              // reference distance, m
};

using isacbf::ParameterInfo;
// Every scenario parameter with a one-line description (the CLI's --help and docs use these).
const std::vector<ParameterInfo>& scenario_parameters();

void validate(const Scenario& s);                          // InputError naming the parameter
Scenario scenario_from_json(const nlohmann::json& j);     // missing keys keep defaults; unknown keys rejected
nlohmann::json to_json(const Scenario& s);
// Sets one parameter by name; the value is a JSON number, or for d_BU/d_UT a number (all users) or an
// array. Throws InputError(name) for unknown names or bad values; s is unchanged on error.
void set_parameter(Scenario& s, const std::string& name, const nlohmann::json& value);

double path_loss(double C0_dB, double d0, double d, double exponent);  // C0 (d0/d)^l, linear
double distance_of_user(const std::vector<double>& list, int k);       // list[k mod size]

// Draw order (fixed, part of the reproducibility contract): g_0..g_{K-1} (Nt CN draws each, entry
// by entry), then the phases phi_0..phi_{K-1} of h_e. Same seed and scenario -> identical instance.
Instance generate(const Scenario& s, std::uint64_t seed);

}  // namespace isacbf::model_a
