#include "host/model_b/generator.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/scenario_checks.hpp"
#include "host/common/json_io.hpp"
#include "host/common/random.hpp"
#include "host/common/units.hpp"
#include "host/model_b/io.hpp"

namespace isacbf::model_b {

namespace ji = isacbf::json_io;
using nlohmann::json;

const std::vector<ParameterInfo>& scenario_parameters() {
  static const std::vector<ParameterInfo> params{
      {"Nt", "transmit antennas (default 32)"},
      {"Nr", "receive antennas (default 32)"},
      {"K", "users (default 4)"},
      {"J", "aerial eavesdroppers (default 2)"},
      {"Ns", "dedicated sensing beams (default 4)"},
      {"N_RF", "RF chains, 0 = fully digital (default 8)"},
      {"L", "NLoS paths per user (default 4)"},
      {"kappa_dB", "NLoS-to-LoS power ratio, dB (default -10)"},
      {"beta0_dB", "path loss at 1 m, dB (default -30)"},
      {"pl_exp_user", "user path-loss exponent alpha (default 2.8)"},
      {"pl_exp_ae", "AE path-loss exponent alpha_e (default 2.2)"},
      {"sigma_dBm", "user noise, dBm (default -80)"},
      {"sigma_e_dBm", "AE noise, dBm (default -80)"},
      {"sigma_r_dBm", "radar receiver noise, dBm (default -80)"},
      {"P_dBm", "transmit power budget, dBm (default 30)"},
      {"Gamma_e_dB", "AE SINR cap, dB (default 0)"},
      {"Gamma_s_dB", "sensing SCNR threshold, dB (default 10)"},
      {"rcs", "AE radar cross-section, m^2 (default 1)"},
      {"L_s", "radar samples per frame (default 4096)"},
      {"d_user", "user distances, m, list cycled to K (default 200)"},
      {"theta_user_deg", "user angles, deg; used when K entries, else evenly spread over [-60,60] (default -50,-20,20,50)"},
      {"ae_horizontal_m", "AE horizontal distance, m (default 100)"},
      {"ae_altitude_m", "AE altitude, m (default 50)"},
      {"theta_ae_deg", "AE angles, deg; used when J entries, else drawn in [-60,60] (default -35,5)"},
      {"ae_min_separation_deg", "drawn AE angles keep this distance from every user, deg (default 3)"},
      {"clutter_deg", "clutter patch angles, deg (default -70,70)"},
      {"clutter_to_ae_dB", "|beta_c|^2 / |alpha_1|^2, dB (default 10)"},
      {"angle_error_deg", "std of the AE angle estimate error, deg (default 0: perfect)"},
  };
  return params;
}

namespace {
using scenario::check_finite;
using scenario::check_positive;
using scenario::GainInput;
void check_angles(const std::vector<double>& list, const char* name) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (!std::isfinite(list[i]) || std::abs(list[i]) > 90.0) throw InputError(ji::at(name, i), "angle must be in [-90, 90]");
}
std::vector<double> number_list(const json& value, const std::string& name) {
  if (value.is_array()) return ji::number_array(value, name);
  return {ji::number(value, name)};
}
// The range validate() enforces, so the message states the real one (K and J stop at 1024).
int count(const json& value, const std::string& name, int low) {
  const long long high = name == "L_s" ? (1 << 30) : (name == "K" || name == "J") ? 1024 : 4096;
  return static_cast<int>(ji::integer(value, name, low, high));
}
double ae_distance(const Scenario& s) { return std::hypot(s.ae_horizontal_m, s.ae_altitude_m); }

// The gains and variances generate() uses must be finite and > 0 (see scenario::check_gain; the
// defaults of model-b.md's scenario name the culprit): user path loss beta0 d^-alpha, the NLoS
// variance kappa/L, the AE gain beta0 d_ae^-alpha_e, |alpha|^2 = rcs beta0^2 d_ae^-2alpha_e and
// |beta_c|^2 = clutter_to_ae |alpha|^2.
void check_gains(const Scenario& s) {
  for (std::size_t i = 0; i < s.d_user.size(); ++i)
    scenario::check_gain({{"beta0_dB", s.beta0_dB, -30.0}, {ji::at("d_user", i), s.d_user[i], 200.0}, {"pl_exp_user", s.pl_exp_user, 2.8}},
                         [](const std::vector<double>& v) { return db_to_linear(v[0]) * std::pow(v[1], -v[2]); },
                         "user path loss beta0 d_user^-pl_exp_user");
  if (s.L > 0)
    scenario::check_gain({{"kappa_dB", s.kappa_dB, -10.0}}, [&s](const std::vector<double>& v) { return db_to_linear(v[0]) / s.L; },
                         "NLoS path variance kappa / L");
  const std::vector<GainInput> ae{{"beta0_dB", s.beta0_dB, -30.0}, {"ae_horizontal_m", s.ae_horizontal_m, 100.0},
                                  {"ae_altitude_m", s.ae_altitude_m, 50.0}, {"pl_exp_ae", s.pl_exp_ae, 2.2},
                                  {"rcs", s.rcs, 1.0}, {"clutter_to_ae_dB", s.clutter_to_ae_dB, 10.0}};
  auto ae_gain = [](const std::vector<double>& v) { return db_to_linear(v[0]) * std::pow(std::hypot(v[1], v[2]), -v[3]); };
  auto alpha2 = [ae_gain](const std::vector<double>& v) { return v[4] * ae_gain(v) * ae_gain(v); };
  if (s.J > 0 || !s.clutter_deg.empty()) {
    scenario::check_gain(ae, ae_gain, "AE path loss beta0 d_ae^-pl_exp_ae");
    scenario::check_gain(ae, alpha2, "AE reflection |alpha|^2 = rcs beta0^2 d_ae^-2 pl_exp_ae");
  }
  if (!s.clutter_deg.empty())
    scenario::check_gain(ae, [alpha2](const std::vector<double>& v) { return db_to_linear(v[5]) * alpha2(v); },
                         "clutter reflection |beta_c|^2 = clutter_to_ae |alpha|^2");
}
}  // namespace

void validate(const Scenario& s) {
  if (s.Nt < 1 || s.Nt > 4096) throw InputError("Nt", "must be in [1, 4096]");
  if (s.Nr < 1 || s.Nr > 4096) throw InputError("Nr", "must be in [1, 4096]");
  if (s.K < 1 || s.K > 1024) throw InputError("K", "must be in [1, 1024]");
  if (s.J < 0 || s.J > 1024) throw InputError("J", "must be in [0, 1024]");
  if (s.Ns < 0) throw InputError("Ns", "must be >= 0");
  if (s.N_RF < 0) throw InputError("N_RF", "must be >= 0");
  if (s.L < 0) throw InputError("L", "must be >= 0");
  if (s.L_s < 1) throw InputError("L_s", "must be >= 1");
  for (auto [x, name] : {std::pair{s.kappa_dB, "kappa_dB"}, {s.beta0_dB, "beta0_dB"}, {s.pl_exp_user, "pl_exp_user"},
                         {s.pl_exp_ae, "pl_exp_ae"}, {s.sigma_dBm, "sigma_dBm"}, {s.sigma_e_dBm, "sigma_e_dBm"},
                         {s.sigma_r_dBm, "sigma_r_dBm"}, {s.P_dBm, "P_dBm"}, {s.Gamma_e_dB, "Gamma_e_dB"},
                         {s.Gamma_s_dB, "Gamma_s_dB"}, {s.clutter_to_ae_dB, "clutter_to_ae_dB"}})
    check_finite(x, name);
  check_positive(s.rcs, "rcs");
  check_positive(s.ae_horizontal_m, "ae_horizontal_m");
  if (!(s.ae_altitude_m >= 0.0) || !std::isfinite(s.ae_altitude_m)) throw InputError("ae_altitude_m", "must be finite and >= 0");
  if (!(s.ae_min_separation_deg >= 0.0) || s.ae_min_separation_deg > 60.0)
    throw InputError("ae_min_separation_deg", "must be in [0, 60]");
  if (!(s.angle_error_deg >= 0.0) || !std::isfinite(s.angle_error_deg)) throw InputError("angle_error_deg", "must be finite and >= 0");
  if (s.d_user.empty()) throw InputError("d_user", "needs at least one distance");
  for (std::size_t i = 0; i < s.d_user.size(); ++i)
    if (!(s.d_user[i] > 0.0) || !std::isfinite(s.d_user[i])) throw InputError(ji::at("d_user", i), "distance must be finite and > 0");
  check_angles(s.theta_user_deg, "theta_user_deg");
  check_angles(s.theta_ae_deg, "theta_ae_deg");
  check_angles(s.clutter_deg, "clutter_deg");
  check_gains(s);
}

Scenario scenario_from_json(const json& j) { return scenario::from_json<Scenario>(j, kModelName); }

json to_json(const Scenario& s) {
  return {{"model", kModelName},
          {"Nt", s.Nt}, {"Nr", s.Nr}, {"K", s.K}, {"J", s.J}, {"Ns", s.Ns}, {"N_RF", s.N_RF}, {"L", s.L},
          {"kappa_dB", s.kappa_dB}, {"beta0_dB", s.beta0_dB}, {"pl_exp_user", s.pl_exp_user}, {"pl_exp_ae", s.pl_exp_ae},
          {"sigma_dBm", s.sigma_dBm}, {"sigma_e_dBm", s.sigma_e_dBm}, {"sigma_r_dBm", s.sigma_r_dBm},
          {"P_dBm", s.P_dBm}, {"Gamma_e_dB", s.Gamma_e_dB}, {"Gamma_s_dB", s.Gamma_s_dB}, {"rcs", s.rcs},
          {"L_s", s.L_s}, {"d_user", s.d_user}, {"theta_user_deg", s.theta_user_deg},
          {"ae_horizontal_m", s.ae_horizontal_m}, {"ae_altitude_m", s.ae_altitude_m}, {"theta_ae_deg", s.theta_ae_deg},
          {"ae_min_separation_deg", s.ae_min_separation_deg}, {"clutter_deg", s.clutter_deg},
          {"clutter_to_ae_dB", s.clutter_to_ae_dB}, {"angle_error_deg", s.angle_error_deg}};
}

void set_parameter(Scenario& s, const std::string& name, const json& value) {
  Scenario t = s;
  if (name == "Nt") t.Nt = count(value, name, 1);
  else if (name == "Nr") t.Nr = count(value, name, 1);
  else if (name == "K") t.K = count(value, name, 1);
  else if (name == "J") t.J = count(value, name, 0);
  else if (name == "Ns") t.Ns = count(value, name, 0);
  else if (name == "N_RF") t.N_RF = count(value, name, 0);
  else if (name == "L") t.L = count(value, name, 0);
  else if (name == "L_s") t.L_s = count(value, name, 1);
  else if (name == "kappa_dB") t.kappa_dB = ji::number(value, name);
  else if (name == "beta0_dB") t.beta0_dB = ji::number(value, name);
  else if (name == "pl_exp_user") t.pl_exp_user = ji::number(value, name);
  else if (name == "pl_exp_ae") t.pl_exp_ae = ji::number(value, name);
  else if (name == "sigma_dBm") t.sigma_dBm = ji::number(value, name);
  else if (name == "sigma_e_dBm") t.sigma_e_dBm = ji::number(value, name);
  else if (name == "sigma_r_dBm") t.sigma_r_dBm = ji::number(value, name);
  else if (name == "P_dBm") t.P_dBm = ji::number(value, name);
  else if (name == "Gamma_e_dB") t.Gamma_e_dB = ji::number(value, name);
  else if (name == "Gamma_s_dB") t.Gamma_s_dB = ji::number(value, name);
  else if (name == "rcs") t.rcs = ji::number(value, name);
  else if (name == "d_user") t.d_user = number_list(value, name);
  else if (name == "theta_user_deg") t.theta_user_deg = number_list(value, name);
  else if (name == "ae_horizontal_m") t.ae_horizontal_m = ji::number(value, name);
  else if (name == "ae_altitude_m") t.ae_altitude_m = ji::number(value, name);
  else if (name == "theta_ae_deg") t.theta_ae_deg = number_list(value, name);
  else if (name == "ae_min_separation_deg") t.ae_min_separation_deg = ji::number(value, name);
  else if (name == "clutter_deg") t.clutter_deg = number_list(value, name);
  else if (name == "clutter_to_ae_dB") t.clutter_to_ae_dB = ji::number(value, name);
  else if (name == "angle_error_deg") t.angle_error_deg = ji::number(value, name);
  else throw InputError(name, std::string("unknown scenario parameter for model ") + kModelName);
  validate(t);
  s = std::move(t);
}

std::vector<double> user_angles_deg(const Scenario& s) {
  if (static_cast<int>(s.theta_user_deg.size()) == s.K) return s.theta_user_deg;
  std::vector<double> angles(static_cast<std::size_t>(s.K), 0.0);  // K = 1: broadside
  if (s.K > 1)
    for (int k = 0; k < s.K; ++k) angles[static_cast<std::size_t>(k)] = -60.0 + 120.0 * k / (s.K - 1);
  return angles;
}

namespace {
std::vector<double> draw_ae_angles(const Scenario& s, const std::vector<double>& users, Rng& rng) {
  constexpr int kMaxTries = 100000;
  std::vector<double> angles;
  for (int j = 0; j < s.J; ++j) {
    int tries = 0;
    for (;;) {
      const double theta = rng.uniform(-60.0, 60.0);
      const bool clear = std::all_of(users.begin(), users.end(),
                                     [&](double u) { return std::abs(theta - u) >= s.ae_min_separation_deg; });
      if (clear) {
        angles.push_back(theta);
        break;
      }
      if (++tries == kMaxTries)
        throw InputError("ae_min_separation_deg", "no AE angle in [-60, 60] keeps this distance from every user");
    }
  }
  return angles;
}
}  // namespace

Instance generate(const Scenario& s, std::uint64_t seed) {
  validate(s);
  Rng rng(seed);
  const std::vector<double> users = user_angles_deg(s);
  const std::vector<double> ae_angles =
      static_cast<int>(s.theta_ae_deg.size()) == s.J ? s.theta_ae_deg : draw_ae_angles(s, users, rng);

  Instance inst;
  inst.Nt = s.Nt; inst.Nr = s.Nr; inst.K = s.K; inst.J = s.J; inst.Ns = s.Ns; inst.N_RF = s.N_RF;
  inst.P_dBm = s.P_dBm;
  inst.Gamma_e_dB = s.Gamma_e_dB;
  inst.Gamma_s_dB = s.Gamma_s_dB;
  inst.sigma_dBm = s.sigma_dBm;
  inst.sigma_e_dBm = s.sigma_e_dBm;
  inst.sigma_r_dBm = s.sigma_r_dBm;
  inst.L_s = s.L_s;
  inst.seed = seed;

  const double beta0 = db_to_linear(s.beta0_dB);
  const double nlos_variance = s.L > 0 ? db_to_linear(s.kappa_dB) / s.L : 0.0;
  for (int k = 0; k < s.K; ++k) {
    const double d = s.d_user[static_cast<std::size_t>(k) % s.d_user.size()];
    Eigen::VectorXcd h = steering_vector_deg(s.Nt, users[static_cast<std::size_t>(k)]);
    for (int l = 0; l < s.L; ++l) {
      const double theta = rng.uniform(-90.0, 90.0);
      h += rng.complex_normal(nlos_variance) * steering_vector_deg(s.Nt, theta);
    }
    inst.h.push_back(std::sqrt(beta0 * std::pow(d, -s.pl_exp_user)) * h);
  }

  const double d_ae = ae_distance(s);
  const double ae_gain = std::sqrt(beta0 * std::pow(d_ae, -s.pl_exp_ae));
  const double alpha_abs2 = s.rcs * beta0 * beta0 * std::pow(d_ae, -2.0 * s.pl_exp_ae);
  inst.theta_ae_deg = ae_angles;
  inst.alpha.resize(s.J);
  for (int j = 0; j < s.J; ++j) {
    inst.g_true.push_back(ae_gain * steering_vector_deg(s.Nt, ae_angles[static_cast<std::size_t>(j)]));
    inst.alpha(j) = std::polar(std::sqrt(alpha_abs2), rng.phase());
  }
  // |beta_c|^2 = clutter_to_ae |alpha_1|^2; every AE has the same |alpha| (same distance), so this
  // holds for J = 0 as well.
  const double beta_abs = std::sqrt(db_to_linear(s.clutter_to_ae_dB) * alpha_abs2);
  for (double theta : s.clutter_deg) inst.clutter.push_back({theta, std::polar(beta_abs, rng.phase())});

  inst.theta_ae_est_deg = ae_angles;
  if (s.angle_error_deg > 0.0)
    for (double& theta : inst.theta_ae_est_deg) theta = std::clamp(theta + s.angle_error_deg * rng.normal(), -90.0, 90.0);
  for (int j = 0; j < s.J; ++j)
    inst.g_est.push_back(ae_gain * steering_vector_deg(s.Nt, inst.theta_ae_est_deg[static_cast<std::size_t>(j)]));
  validate(inst);
  return inst;
}

}  // namespace isacbf::model_b
