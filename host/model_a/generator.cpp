#include "host/model_a/generator.hpp"

#include <cmath>
#include <complex>
#include <tuple>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/scenario_checks.hpp"
#include "host/common/json_io.hpp"
#include "host/common/random.hpp"
#include "host/common/units.hpp"
#include "host/model_a/io.hpp"

namespace isacbf::model_a {

namespace ji = isacbf::json_io;
using nlohmann::json;

const std::vector<ParameterInfo>& scenario_parameters() {
  static const std::vector<ParameterInfo> params{
      {"Nt", "transmit antennas (default 8)"},
      {"K", "communication users (default 3)"},
      {"P_dBm", "transmit power budget, dBm (default 18)"},
      {"gamma_s_dB", "sensing threshold on SCNR_b, dB (default 0)"},
      {"gamma_se_dB", "sensing-security threshold on SCNR_u,k, dB (default 2)"},
      {"sigma_u_dBm", "noise at every CU, dBm before the offset (default -80)"},
      {"sigma_t_dBm", "noise at the target, dBm before the offset (default -80)"},
      {"sigma_b_dBm", "radar receiver noise at the BS, dBm before the offset (default -100)"},
      {"snr_offset_dB", "lowers all three noises by this many dB (default 0; paper figures: 30)"},
      {"theta_t_deg", "target angle, degrees (default 0)"},
      {"rcs", "target radar cross-section, m^2 (default 1)"},
      {"d_BU", "BS-CU distances, m, list cycled to K (default 30,30,30)"},
      {"d_UT", "target-CU distances, m, list cycled to K (default 25,25,30)"},
      {"d_BT", "BS-target distance, m (default 50)"},
      {"pl_exp_BU", "path-loss exponent BS-CU (default 3.3)"},
      {"pl_exp_BT", "path-loss exponent BS-target (default 2)"},
      {"pl_exp_UT", "path-loss exponent target-CU (default 2.3)"},
      {"C0_dB", "path loss at the reference distance, dB (default -30)"},
      {"d0", "reference distance, m (default 1)"},
  };
  return params;
}

namespace {
using scenario::check_finite;
using scenario::check_positive;
void check_distances(const std::vector<double>& d, const char* name) {
  if (d.empty()) throw InputError(name, "needs at least one distance");
  for (std::size_t i = 0; i < d.size(); ++i)
    if (!(d[i] > 0.0) || !std::isfinite(d[i])) throw InputError(ji::at(name, i), "distance must be finite and > 0");
}
std::vector<double> distance_list(const json& value, const std::string& name) {
  if (value.is_array()) return ji::number_array(value, name);
  return {ji::number(value, name)};  // one number: every user at that distance
}
// The variances generate() draws with: C0 (d0/d)^l for every BS-user and user-target distance, and
// rcs C0 (d0/d_BT)^l_BT for the target (defaults from Table I name the culprit, see check_gain).
void check_path_losses(const Scenario& s) {
  auto pl = [](const std::vector<double>& v) { return db_to_linear(v[0]) * std::pow(v[1] / v[2], v[3]); };
  for (auto [list, exponent, d_name, e_name, d_default, e_default] :
       {std::tuple{&s.d_BU, s.pl_exp_BU, "d_BU", "pl_exp_BU", 30.0, 3.3}, {&s.d_UT, s.pl_exp_UT, "d_UT", "pl_exp_UT", 25.0, 2.3}})
    for (std::size_t i = 0; i < list->size(); ++i)
      scenario::check_gain({{"C0_dB", s.C0_dB, -30.0}, {"d0", s.d0, 1.0}, {ji::at(d_name, i), (*list)[i], d_default}, {e_name, exponent, e_default}},
                           pl, std::string("path loss C0 (d0/") + d_name + ")^" + e_name);
  scenario::check_gain({{"C0_dB", s.C0_dB, -30.0}, {"d0", s.d0, 1.0}, {"d_BT", s.d_BT, 50.0}, {"pl_exp_BT", s.pl_exp_BT, 2.0}, {"rcs", s.rcs, 1.0}},
                       [&pl](const std::vector<double>& v) { return v[4] * pl(v); }, "target gain rcs C0 (d0/d_BT)^pl_exp_BT");
}
}  // namespace

void validate(const Scenario& s) {
  if (s.Nt < 1 || s.Nt > 4096) throw InputError("Nt", "must be in [1, 4096]");
  if (s.K < 1 || s.K > 1024) throw InputError("K", "must be in [1, 1024]");
  for (auto [x, name] : {std::pair{s.P_dBm, "P_dBm"}, {s.gamma_s_dB, "gamma_s_dB"}, {s.gamma_se_dB, "gamma_se_dB"},
                         {s.sigma_u_dBm, "sigma_u_dBm"}, {s.sigma_t_dBm, "sigma_t_dBm"}, {s.sigma_b_dBm, "sigma_b_dBm"},
                         {s.snr_offset_dB, "snr_offset_dB"}, {s.theta_t_deg, "theta_t_deg"}, {s.pl_exp_BU, "pl_exp_BU"},
                         {s.pl_exp_BT, "pl_exp_BT"}, {s.pl_exp_UT, "pl_exp_UT"}, {s.C0_dB, "C0_dB"}})
    check_finite(x, name);
  if (std::abs(s.theta_t_deg) > 90.0) throw InputError("theta_t_deg", "must be in [-90, 90]");
  check_positive(s.rcs, "rcs");
  check_positive(s.d_BT, "d_BT");
  check_positive(s.d0, "d0");
  check_distances(s.d_BU, "d_BU");
  check_distances(s.d_UT, "d_UT");
  for (auto [noise, name] : {std::pair{s.sigma_u_dBm, "sigma_u_dBm"}, {s.sigma_t_dBm, "sigma_t_dBm"}, {s.sigma_b_dBm, "sigma_b_dBm"}})
    scenario::check_offset_noise(noise, name, s.snr_offset_dB, "snr_offset_dB");
  check_path_losses(s);
}

Scenario scenario_from_json(const json& j) { return scenario::from_json<Scenario>(j, kModelName); }

json to_json(const Scenario& s) {
  return {{"model", kModelName},       {"Nt", s.Nt},
          {"K", s.K},                  {"P_dBm", s.P_dBm},
          {"gamma_s_dB", s.gamma_s_dB}, {"gamma_se_dB", s.gamma_se_dB},
          {"sigma_u_dBm", s.sigma_u_dBm}, {"sigma_t_dBm", s.sigma_t_dBm},
          {"sigma_b_dBm", s.sigma_b_dBm}, {"snr_offset_dB", s.snr_offset_dB},
          {"theta_t_deg", s.theta_t_deg}, {"rcs", s.rcs},
          {"d_BU", s.d_BU},            {"d_UT", s.d_UT},
          {"d_BT", s.d_BT},            {"pl_exp_BU", s.pl_exp_BU},
          {"pl_exp_BT", s.pl_exp_BT},  {"pl_exp_UT", s.pl_exp_UT},
          {"C0_dB", s.C0_dB},          {"d0", s.d0}};
}

void set_parameter(Scenario& s, const std::string& name, const json& value) {
  Scenario t = s;
  if (name == "Nt") t.Nt = static_cast<int>(ji::integer(value, name, 1, 4096));
  else if (name == "K") t.K = static_cast<int>(ji::integer(value, name, 1, 1024));
  else if (name == "P_dBm") t.P_dBm = ji::number(value, name);
  else if (name == "gamma_s_dB") t.gamma_s_dB = ji::number(value, name);
  else if (name == "gamma_se_dB") t.gamma_se_dB = ji::number(value, name);
  else if (name == "sigma_u_dBm") t.sigma_u_dBm = ji::number(value, name);
  else if (name == "sigma_t_dBm") t.sigma_t_dBm = ji::number(value, name);
  else if (name == "sigma_b_dBm") t.sigma_b_dBm = ji::number(value, name);
  else if (name == "snr_offset_dB") t.snr_offset_dB = ji::number(value, name);
  else if (name == "theta_t_deg") t.theta_t_deg = ji::number(value, name);
  else if (name == "rcs") t.rcs = ji::number(value, name);
  else if (name == "d_BU") t.d_BU = distance_list(value, name);
  else if (name == "d_UT") t.d_UT = distance_list(value, name);
  else if (name == "d_BT") t.d_BT = ji::number(value, name);
  else if (name == "pl_exp_BU") t.pl_exp_BU = ji::number(value, name);
  else if (name == "pl_exp_BT") t.pl_exp_BT = ji::number(value, name);
  else if (name == "pl_exp_UT") t.pl_exp_UT = ji::number(value, name);
  else if (name == "C0_dB") t.C0_dB = ji::number(value, name);
  else if (name == "d0") t.d0 = ji::number(value, name);
  else throw InputError(name, std::string("unknown scenario parameter for model ") + kModelName);
  validate(t);
  s = std::move(t);
}

double path_loss(double C0_dB, double d0, double d, double exponent) {
  return db_to_linear(C0_dB) * std::pow(d0 / d, exponent);
}

double distance_of_user(const std::vector<double>& list, int k) {
  if (list.empty()) throw InputError("distances", "empty distance list");
  return list[static_cast<std::size_t>(k) % list.size()];
}

Instance generate(const Scenario& s, std::uint64_t seed) {
  validate(s);
  Rng rng(seed);
  Instance inst;
  inst.Nt = s.Nt;
  inst.K = s.K;
  inst.P_dBm = s.P_dBm;
  inst.gamma_s_dB = s.gamma_s_dB;
  inst.gamma_se_dB = s.gamma_se_dB;
  inst.sigma_u_dBm = s.sigma_u_dBm - s.snr_offset_dB;
  inst.sigma_t_dBm = s.sigma_t_dBm - s.snr_offset_dB;
  inst.sigma_b_dBm = s.sigma_b_dBm - s.snr_offset_dB;
  inst.snr_offset_dB = s.snr_offset_dB;
  inst.seed = seed;
  for (int k = 0; k < s.K; ++k)
    inst.g.push_back(rng.complex_normal_vector(s.Nt, path_loss(s.C0_dB, s.d0, distance_of_user(s.d_BU, k), s.pl_exp_BU)));
  const double beta_ce = std::sqrt(s.rcs * path_loss(s.C0_dB, s.d0, s.d_BT, s.pl_exp_BT));
  inst.h_ce = beta_ce * steering_vector_deg(s.Nt, s.theta_t_deg);
  inst.h_e.resize(s.K);
  for (int k = 0; k < s.K; ++k) {
    const double gain = std::sqrt(path_loss(s.C0_dB, s.d0, distance_of_user(s.d_UT, k), s.pl_exp_UT));
    inst.h_e(k) = std::polar(gain, rng.phase());
  }
  validate(inst);
  return inst;
}

}  // namespace isacbf::model_a
