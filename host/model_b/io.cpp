#include "host/model_b/io.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/psd_check.hpp"
#include "host/common/units.hpp"

namespace isacbf::model_b {

namespace ji = isacbf::json_io;
using nlohmann::json;

namespace {
constexpr int kMaxAntennas = 4096;
constexpr int kMaxCount = 1024;
constexpr double kMaxAbsDb = 1000.0;

void check_db(double value, const std::string& field) {
  if (!std::isfinite(value) || std::abs(value) > kMaxAbsDb) {
    std::ostringstream msg;
    msg << "must be a finite number of dB(m) within +-1000, got " << std::setprecision(6) << value;
    throw InputError(field, msg.str());
  }
}
// A squared norm must be a double (entries of 1e160 are finite, their squares are not); zero_message
// (when not empty) refuses a zero.
void check_gain(double squared_norm, const std::string& field, const std::string& zero_message) {
  if (!std::isfinite(squared_norm)) throw InputError(field, "squared magnitude overflows a double (entries too large)");
  if (squared_norm == 0.0 && !zero_message.empty()) throw InputError(field, zero_message);
}
void check_range(int value, int low, int high, const std::string& field) {
  if (value < low || value > high)
    throw InputError(field, "must be in [" + std::to_string(low) + ", " + std::to_string(high) + "], got " + std::to_string(value));
}
void check_angle(double theta, const std::string& field) {
  if (!std::isfinite(theta) || std::abs(theta) > 90.0) throw InputError(field, "angle must be finite, in [-90, 90] degrees");
}
void check_channels(const std::vector<Eigen::VectorXcd>& list, int count, int length, const std::string& field) {
  if (static_cast<int>(list.size()) != count)
    throw InputError(field, "expected " + std::to_string(count) + " vectors, got " + std::to_string(list.size()));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto name = ji::at(field, i);
    if (list[i].size() != length) throw InputError(name, "expected length " + std::to_string(length) + ", got " + std::to_string(list[i].size()));
    if (!list[i].allFinite()) throw InputError(name, "entries must be finite");
    check_gain(list[i].squaredNorm(), name, "channel must be nonzero");
  }
}
// The largest ratio a channel can give (gain x P / noise) must be a double, or the metrics and the
// solver's scaled problems overflow (NaN SINRs, an "optimal" result with null fields).
void check_link(double best_ratio, const std::string& field, const std::string& what) {
  if (!std::isfinite(best_ratio))
    throw InputError(field, what + " overflows a double: the channel is too strong for P and the noise");
}
void check_links(const std::vector<Eigen::VectorXcd>& list, double P_over_noise, const std::string& field, const char* what) {
  for (std::size_t i = 0; i < list.size(); ++i) check_link(list[i].squaredNorm() * P_over_noise, ji::at(field, i), what);
}
// Radar coefficients: |alpha_j|^2, |beta_c|^2 and the echo's best SCNR L_s |c|^2 Nt Nr P / sigma_r^2.
void check_echo(std::complex<double> c, const Instance& inst, const std::string& field) {
  check_gain(std::norm(c), field, "");
  const double best = inst.L_s * std::norm(c) * inst.Nt * inst.Nr * dbm_to_watt(inst.P_dBm) / dbm_to_watt(inst.sigma_r_dBm);
  check_link(best, field, "L_s |c|^2 Nt Nr P / sigma_r^2 (the echo's best SCNR)");
}
void check_angles(const std::vector<double>& list, int count, const std::string& field) {
  if (static_cast<int>(list.size()) != count)
    throw InputError(field, "expected " + std::to_string(count) + " angles, got " + std::to_string(list.size()));
  for (std::size_t i = 0; i < list.size(); ++i) check_angle(list[i], ji::at(field, i));
}
std::vector<Eigen::VectorXcd> vector_list(const json& value, const std::string& field, int count, int length) {
  if (!value.is_array()) throw InputError(field, "expected an array of complex vectors");
  if (static_cast<int>(value.size()) != count)
    throw InputError(field, "expected " + std::to_string(count) + " vectors, got " + std::to_string(value.size()));
  std::vector<Eigen::VectorXcd> out;
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(ji::complex_vector(value[i], ji::at(field, i), length));
  return out;
}
}  // namespace

void validate(const Instance& inst) {
  check_range(inst.Nt, 1, kMaxAntennas, "Nt");
  check_range(inst.Nr, 1, kMaxAntennas, "Nr");
  check_range(inst.K, 1, kMaxCount, "K");
  check_range(inst.J, 0, kMaxCount, "J");
  check_range(inst.Ns, 0, kMaxAntennas, "Ns");
  check_range(inst.N_RF, 0, kMaxAntennas, "N_RF");
  if (inst.N_RF > inst.Nt)  // a hybrid array has at most one RF chain per antenna
    throw InputError("N_RF", "must be <= Nt = " + std::to_string(inst.Nt) + " (0 = fully digital), got " + std::to_string(inst.N_RF));
  check_range(inst.L_s, 1, 1 << 30, "L_s");
  check_db(inst.P_dBm, "P_dBm");
  check_db(inst.Gamma_e_dB, "Gamma_e_dB");
  check_db(inst.Gamma_s_dB, "Gamma_s_dB");
  check_db(inst.sigma_dBm, "sigma_dBm");
  check_db(inst.sigma_e_dBm, "sigma_e_dBm");
  check_db(inst.sigma_r_dBm, "sigma_r_dBm");
  check_channels(inst.h, inst.K, inst.Nt, "channels.h");
  check_channels(inst.g_true, inst.J, inst.Nt, "channels.g_true");
  check_channels(inst.g_est, inst.J, inst.Nt, "channels.g_est");
  check_angles(inst.theta_ae_deg, inst.J, "channels.theta_ae_deg");
  check_angles(inst.theta_ae_est_deg, inst.J, "channels.theta_ae_est_deg");
  if (inst.alpha.size() != inst.J)
    throw InputError("channels.alpha", "expected J = " + std::to_string(inst.J) + " entries, got " + std::to_string(inst.alpha.size()));
  if (!inst.alpha.allFinite()) throw InputError("channels.alpha", "entries must be finite");
  for (int j = 0; j < inst.J; ++j) {
    // alpha_j is AE j's radar round-trip coefficient; zero would make its SCNR identically zero (15b unreachable).
    if (inst.alpha(j) == 0.0) throw InputError("channels.alpha", "entry " + std::to_string(j) + " is zero: every AE must reflect (alpha_j != 0)");
    check_echo(inst.alpha(j), inst, "channels.alpha");
  }
  for (std::size_t c = 0; c < inst.clutter.size(); ++c) {
    const auto field = ji::at("channels.clutter", c);
    check_angle(inst.clutter[c].theta_deg, field + ".theta_deg");
    if (!std::isfinite(inst.clutter[c].beta.real()) || !std::isfinite(inst.clutter[c].beta.imag()))
      throw InputError(field + ".beta", "must be finite");
    check_echo(inst.clutter[c].beta, inst, field + ".beta");
  }
  const double P = dbm_to_watt(inst.P_dBm);
  check_links(inst.h, P / dbm_to_watt(inst.sigma_dBm), "channels.h", "||h_k||^2 P / sigma^2");
  check_links(inst.g_true, P / dbm_to_watt(inst.sigma_e_dBm), "channels.g_true", "||g_j||^2 P / sigma_e^2");
  check_links(inst.g_est, P / dbm_to_watt(inst.sigma_e_dBm), "channels.g_est", "||g_j||^2 P / sigma_e^2");
}

Instance instance_from_json(const json& j) {
  const auto& model = ji::require(j, "", "model");
  if (!model.is_string() || model.get<std::string>() != kModelName)
    throw InputError("model", std::string("expected \"") + kModelName + "\", got " + model.dump());
  ji::reject_unknown_keys(j, "", {"model", "Nt", "Nr", "K", "J", "Ns", "N_RF", "P_dBm", "Gamma_e_dB", "Gamma_s_dB", "sigma_dBm",
                                  "sigma_e_dBm", "sigma_r_dBm", "L_s", "seed", "channels", "scenario"});
  Instance inst;
  inst.Nt = ji::require_int(j, "", "Nt", 1, kMaxAntennas);
  inst.Nr = ji::require_int(j, "", "Nr", 1, kMaxAntennas);
  inst.K = ji::require_int(j, "", "K", 1, kMaxCount);
  inst.J = ji::require_int(j, "", "J", 0, kMaxCount);
  inst.Ns = ji::require_int(j, "", "Ns", 0, kMaxAntennas);
  inst.N_RF = ji::optional_int(j, "", "N_RF", 0, 0, kMaxAntennas);
  inst.P_dBm = ji::require_number(j, "", "P_dBm");
  inst.Gamma_e_dB = ji::require_number(j, "", "Gamma_e_dB");
  inst.Gamma_s_dB = ji::require_number(j, "", "Gamma_s_dB");
  inst.sigma_dBm = ji::require_number(j, "", "sigma_dBm");
  inst.sigma_e_dBm = ji::require_number(j, "", "sigma_e_dBm");
  inst.sigma_r_dBm = ji::require_number(j, "", "sigma_r_dBm");
  inst.L_s = ji::require_int(j, "", "L_s", 1, 1 << 30);
  if (ji::has(j, "seed")) inst.seed = ji::unsigned_integer(j.at("seed"), "seed");

  const auto& ch = ji::require(j, "", "channels");
  ji::reject_unknown_keys(ch, "channels", {"h", "g_true", "g_est", "theta_ae_deg", "theta_ae_est_deg", "alpha", "clutter"});
  inst.h = vector_list(ji::require(ch, "channels", "h"), "channels.h", inst.K, inst.Nt);
  inst.g_true = vector_list(ji::require(ch, "channels", "g_true"), "channels.g_true", inst.J, inst.Nt);
  inst.g_est = ji::has(ch, "g_est") ? vector_list(ch.at("g_est"), "channels.g_est", inst.J, inst.Nt) : inst.g_true;
  inst.theta_ae_deg = ji::number_array(ji::require(ch, "channels", "theta_ae_deg"), "channels.theta_ae_deg", inst.J);
  inst.theta_ae_est_deg = ji::has(ch, "theta_ae_est_deg")
                              ? ji::number_array(ch.at("theta_ae_est_deg"), "channels.theta_ae_est_deg", inst.J)
                              : inst.theta_ae_deg;
  inst.alpha = ji::complex_vector(ji::require(ch, "channels", "alpha"), "channels.alpha", inst.J);
  if (ji::has(ch, "clutter")) {
    const auto& list = ch.at("clutter");
    if (!list.is_array()) throw InputError("channels.clutter", "expected an array of {theta_deg, beta}");
    for (std::size_t c = 0; c < list.size(); ++c) {
      const auto field = ji::at("channels.clutter", c);
      ji::reject_unknown_keys(list[c], field, {"theta_deg", "beta"});
      Clutter patch;
      patch.theta_deg = ji::require_number(list[c], field, "theta_deg");
      patch.beta = ji::complex_scalar(ji::require(list[c], field, "beta"), field + ".beta");
      inst.clutter.push_back(patch);
    }
  }
  validate(inst);
  return inst;
}

json to_json(const Instance& inst) {
  json j;
  j["model"] = kModelName;
  j["Nt"] = inst.Nt;
  j["Nr"] = inst.Nr;
  j["K"] = inst.K;
  j["J"] = inst.J;
  j["Ns"] = inst.Ns;
  j["N_RF"] = inst.N_RF;
  j["P_dBm"] = inst.P_dBm;
  j["Gamma_e_dB"] = inst.Gamma_e_dB;
  j["Gamma_s_dB"] = inst.Gamma_s_dB;
  j["sigma_dBm"] = inst.sigma_dBm;
  j["sigma_e_dBm"] = inst.sigma_e_dBm;
  j["sigma_r_dBm"] = inst.sigma_r_dBm;
  j["L_s"] = inst.L_s;
  if (inst.seed) j["seed"] = *inst.seed;
  auto list = [](const std::vector<Eigen::VectorXcd>& vs) {
    json out = json::array();
    for (const auto& v : vs) out.push_back(ji::to_json(v));
    return out;
  };
  json clutter = json::array();
  for (const auto& c : inst.clutter) clutter.push_back({{"theta_deg", c.theta_deg}, {"beta", ji::to_json(c.beta)}});
  j["channels"] = {{"h", list(inst.h)},
                   {"g_true", list(inst.g_true)},
                   {"g_est", list(inst.g_est)},
                   {"theta_ae_deg", inst.theta_ae_deg},
                   {"theta_ae_est_deg", inst.theta_ae_est_deg},
                   {"alpha", ji::to_json(inst.alpha)},
                   {"clutter", clutter}};
  return j;
}

Instance read_instance(const std::string& path) {
  return ji::read_file_as(path, [](const json& j) { return instance_from_json(j); });
}

void write_instance(const Instance& inst, const std::string& path) {
  validate(inst);
  ji::write_file(to_json(inst), path);
}

void validate(const Design& design, const Instance& inst) {
  if (design.W.rows() != inst.Nt || design.W.cols() != inst.K)
    throw InputError("W", "expected " + std::to_string(inst.Nt) + "x" + std::to_string(inst.K) + ", got " +
                              std::to_string(design.W.rows()) + "x" + std::to_string(design.W.cols()));
  if (!design.W.allFinite()) throw InputError("W", "entries must be finite");
  check_gain(design.W.squaredNorm(), "W", "");  // the data power tr(W W^H)
  if (design.S.size() > 0) {
    if (design.S.rows() != inst.Nt) throw InputError("S", "expected Nt = " + std::to_string(inst.Nt) + " rows");
    if (!design.S.allFinite()) throw InputError("S", "entries must be finite");
    check_gain(design.S.squaredNorm(), "S", "");
  }
  check_hermitian_psd(design.R_s, inst.Nt, "R_s", kDesignTolerance);
  // Received powers ||channel||^2 (tr W W^H + tr R_s) over the noise must be doubles as well.
  const double power = design.W.squaredNorm() + design.R_s.trace().real();
  const std::string power_field = design.W.squaredNorm() >= design.R_s.trace().real() ? "W" : (design.S.size() > 0 ? "S" : "R_s");
  for (const auto& h : inst.h) check_link(h.squaredNorm() * power / dbm_to_watt(inst.sigma_dBm), power_field, "a user's received power / sigma^2");
  for (const auto& g : inst.g_true) check_link(g.squaredNorm() * power / dbm_to_watt(inst.sigma_e_dBm), power_field, "an AE's received power / sigma_e^2");
  if (design.U.size() > 0) {
    if (design.U.rows() != inst.Nr || design.U.cols() != inst.J)
      throw InputError("U", "expected " + std::to_string(inst.Nr) + "x" + std::to_string(inst.J) + ", got " +
                                std::to_string(design.U.rows()) + "x" + std::to_string(design.U.cols()));
    if (!design.U.allFinite()) throw InputError("U", "entries must be finite");
    for (int j = 0; j < inst.J; ++j)
      check_gain(design.U.col(j).squaredNorm(), "U", "column " + std::to_string(j) + " is zero: receiver u_j must be nonzero");
  }
}

Design design_from_json(const json& j, const Instance& inst) {
  if (!j.is_object()) throw InputError("<root>", "a design must be a JSON object");
  if (ji::has(j, "model") && j.at("model") != kModelName)
    throw InputError("model", std::string("design is for ") + j.at("model").dump() + ", instance is " + kModelName);
  ji::reject_unknown_keys(j, "", {"model", "W", "S", "R_s", "U"});
  Design design;
  design.W = ji::complex_matrix(ji::require(j, "", "W"), "W", inst.Nt, inst.K);
  if (ji::has(j, "S") && ji::has(j, "R_s")) throw InputError("S", "give either \"S\" (beams) or \"R_s\" (covariance), not both");
  if (ji::has(j, "S")) {
    design.S = ji::complex_matrix(j.at("S"), "S", inst.Nt, -1);
    design.R_s = design.S * design.S.adjoint();
  } else if (ji::has(j, "R_s")) {
    design.R_s = ji::complex_matrix(j.at("R_s"), "R_s", inst.Nt, inst.Nt);
  } else {
    design.R_s = Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
  }
  if (ji::has(j, "U")) design.U = ji::complex_matrix(j.at("U"), "U", inst.Nr, inst.J);
  validate(design, inst);
  design.R_s = hermitian_part(design.R_s);
  return design;
}

json to_json(const Design& design) {
  json j{{"model", kModelName}, {"W", ji::to_json(design.W)}};
  if (design.S.size() > 0) j["S"] = ji::to_json(design.S);
  else j["R_s"] = ji::to_json(design.R_s);
  if (design.U.size() > 0) j["U"] = ji::to_json(design.U);
  return j;
}

Design read_design(const std::string& path, const Instance& inst) {
  return ji::read_file_as(path, [&inst](const json& j) { return design_from_json(j, inst); });
}

void write_design(const Design& design, const std::string& path) { ji::write_file(to_json(design), path); }

Design design_from_beams(const Instance& inst, const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& S) {
  if (S.cols() > 0 && S.rows() != inst.Nt) throw InputError("S", "expected Nt = " + std::to_string(inst.Nt) + " rows");
  Design design;
  design.W = W;
  design.S = S;
  design.R_s = S.cols() > 0 ? Eigen::MatrixXcd(S * S.adjoint()) : Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
  validate(design, inst);
  return design;
}

}  // namespace isacbf::model_b
