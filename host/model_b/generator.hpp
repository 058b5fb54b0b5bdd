#pragma once
// Model B scenario generator (model-b.md "Default scenario"). Scenario JSON keys, `isacbf generate`
// options and sweep parameter names are the same strings.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/common/parameter_info.hpp"
#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

using isacbf::ParameterInfo;

struct Scenario {
  int Nt = 32, Nr = 32, K = 4, J = 2, Ns = 4, N_RF = 8;
  int L = 4;                     // NLoS paths per user
  double kappa_dB = -10.0;       // total NLoS power relative to LoS: z_{k,l} ~ CN(0, kappa / L)
  double beta0_dB = -30.0;       // path loss at 1 m
  double pl_exp_user = 2.8;      // alpha
  double pl_exp_ae = 2.2;        // alpha_e
  double sigma_dBm = -80.0, sigma_e_dBm = -80.0, sigma_r_dBm = -80.0;
  double P_dBm = 30.0;
  double Gamma_e_dB = 0.0, Gamma_s_dB = 10.0;
  double rcs = 1.0;              // sigma_RCS, m^2
  int L_s = 4096;                // radar samples (matched-filter gain)
  std::vector<double> d_user{200.0};                      // m, cycled to K
  std::vector<double> theta_user_deg{-50.0, -20.0, 20.0, 50.0};  // used when its length is K, else evenly spread over [-60, 60]
  double ae_horizontal_m = 100.0, ae_altitude_m = 50.0;   // d_j = sqrt(horizontal^2 + altitude^2)
  std::vector<double> theta_ae_deg{-35.0, 5.0};           // used when its length is J, else drawn
  double ae_min_separation_deg = 3.0;                     // drawn AEs keep this distance from every user
  std::vector<double> clutter_deg{-70.0, 70.0};
  double clutter_to_ae_dB = 10.0;                         // |beta_c|^2 / |alpha_1|^2
  double angle_error_deg = 0.0;  // std of the AE angle estimate (theta_ae_est); 0: perfect estimate
};

const std::vector<ParameterInfo>& scenario_parameters();
void validate(const Scenario& s);
Scenario scenario_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Scenario& s);
void set_parameter(Scenario& s, const std::string& name, const nlohmann::json& value);

// Angles actually used (degrees): the given list when its length matches, else the documented rule.
std::vector<double> user_angles_deg(const Scenario& s);

// Draw order (fixed): AE angles (only when drawn; rejection sampling, uniform in [-60, 60]), then
// for each user k and path l: theta_{k,l} ~ U[-90, 90) deg and z_{k,l}; then AE phases psi_j; then
// clutter phases; then (only when angle_error_deg > 0) the J angle errors.
Instance generate(const Scenario& s, std::uint64_t seed);

}  // namespace isacbf::model_b
