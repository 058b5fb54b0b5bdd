#include "host/model_a/io.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/psd_check.hpp"
#include "host/common/units.hpp"

namespace isacbf::model_a {

namespace ji = isacbf::json_io;
using nlohmann::json;

namespace {
constexpr int kMaxNt = 4096;
constexpr int kMaxK = 1024;
constexpr double kMaxAbsDb = 1000.0;  // keeps 10^(x/10) finite and positive

void check_db(double value, const std::string& field) {
  if (!std::isfinite(value) || std::abs(value) > kMaxAbsDb) {
    std::ostringstream msg;
    msg << "must be a finite number of dB(m) within +-1000, got " << std::setprecision(6) << value;
    throw InputError(field, msg.str());
  }
}

// A channel's squared norm must be a positive double: entries that are finite but overflow when
// squared (1e160) make every metric inf or NaN, and ones that underflow act as a zero channel.
void check_gain(double squared_norm, const std::string& field) {
  if (!std::isfinite(squared_norm)) throw InputError(field, "squared norm overflows a double (entries too large)");
  if (squared_norm == 0.0) throw InputError(field, "channel must be nonzero");
}

void check_vector(const Eigen::VectorXcd& v, long size, const std::string& field) {
  if (v.size() != size)
    throw InputError(field, "expected length " + std::to_string(size) + ", got " + std::to_string(v.size()));
  if (!v.allFinite()) throw InputError(field, "entries must be finite");
  check_gain(v.squaredNorm(), field);
}

// The largest SNR/SCNR a channel can give (gain x P / noise) must be a double too, or the metrics
// and the solver's scaled problem overflow.
void check_link(double best_ratio, const std::string& field, const char* what) {
  if (!std::isfinite(best_ratio))
    throw InputError(field, std::string(what) + " overflows a double: the channel is too strong for P and the noise");
}

// Products validate() derives from the channels: h_k = g_k^H + h_e,k h_ce^H and the best-case ratios.
void check_derived(const Instance& inst) {
  const double P = dbm_to_watt(inst.P_dBm);
  const double ce2 = inst.h_ce.squaredNorm();
  check_link(ce2 * ce2 * P / dbm_to_watt(inst.sigma_b_dBm), "channels.h_ce", "max SCNR_b = ||h_ce||^4 P / sigma_b^2");
  check_link(ce2 * P / dbm_to_watt(inst.sigma_t_dBm), "channels.h_ce", "||h_ce||^2 P / sigma_t^2");
  for (int k = 0; k < inst.K; ++k) {
    const auto index = static_cast<std::size_t>(k);
    const double e2 = std::norm(inst.h_e(k));
    check_link(e2 * ce2, ji::at("channels.h_e", index), "|h_e,k|^2 ||h_ce||^2");
    check_link(e2 * ce2 * P / dbm_to_watt(inst.sigma_u_dBm), ji::at("channels.h_e", index), "|h_e,k|^2 ||h_ce||^2 P / sigma_u^2");
    check_link(ce2 * dbm_to_watt(inst.sigma_u_dBm) / (e2 * dbm_to_watt(inst.sigma_b_dBm)), ji::at("channels.h_e", index),
               "||h_ce||^2 sigma_u^2 / (|h_e,k|^2 sigma_b^2) (the sensing-security limit)");
    const double hk2 = inst.h(k).squaredNorm();
    check_gain(hk2, ji::at("channels.g", index));
    check_link(hk2 * P / dbm_to_watt(inst.sigma_u_dBm), ji::at("channels.g", index), "||h_k||^2 P / sigma_u^2");
  }
}
}  // namespace

void validate(const Instance& inst) {
  if (inst.Nt < 1 || inst.Nt > kMaxNt) throw InputError("Nt", "must be in [1, 4096], got " + std::to_string(inst.Nt));
  if (inst.K < 1 || inst.K > kMaxK) throw InputError("K", "must be in [1, 1024], got " + std::to_string(inst.K));
  check_db(inst.P_dBm, "P_dBm");
  check_db(inst.gamma_s_dB, "gamma_s_dB");
  check_db(inst.gamma_se_dB, "gamma_se_dB");
  check_db(inst.sigma_u_dBm, "sigma_u_dBm");
  check_db(inst.sigma_t_dBm, "sigma_t_dBm");
  check_db(inst.sigma_b_dBm, "sigma_b_dBm");
  check_db(inst.snr_offset_dB, "snr_offset_dB");
  if (static_cast<int>(inst.g.size()) != inst.K)
    throw InputError("channels.g", "expected K = " + std::to_string(inst.K) + " vectors, got " + std::to_string(inst.g.size()));
  for (int k = 0; k < inst.K; ++k) check_vector(inst.g[static_cast<std::size_t>(k)], inst.Nt, ji::at("channels.g", static_cast<std::size_t>(k)));
  check_vector(inst.h_ce, inst.Nt, "channels.h_ce");
  if (inst.h_e.size() != inst.K)
    throw InputError("channels.h_e", "expected K = " + std::to_string(inst.K) + " entries, got " + std::to_string(inst.h_e.size()));
  for (int k = 0; k < inst.K; ++k) {
    const auto field = ji::at("channels.h_e", static_cast<std::size_t>(k));
    if (!std::isfinite(inst.h_e(k).real()) || !std::isfinite(inst.h_e(k).imag())) throw InputError(field, "must be finite");
    check_gain(std::norm(inst.h_e(k)), field);
  }
  check_derived(inst);
}

Instance instance_from_json(const json& j) {
  const auto& model = ji::require(j, "", "model");
  if (!model.is_string() || model.get<std::string>() != kModelName)
    throw InputError("model", std::string("expected \"") + kModelName + "\", got " + model.dump());
  ji::reject_unknown_keys(j, "", {"model", "Nt", "K", "P_dBm", "gamma_s_dB", "gamma_se_dB", "sigma_u_dBm", "sigma_t_dBm",
                                  "sigma_b_dBm", "snr_offset_dB", "seed", "channels", "scenario"});
  Instance inst;
  inst.Nt = ji::require_int(j, "", "Nt", 1, kMaxNt);
  inst.K = ji::require_int(j, "", "K", 1, kMaxK);
  inst.P_dBm = ji::require_number(j, "", "P_dBm");
  inst.gamma_s_dB = ji::require_number(j, "", "gamma_s_dB");
  inst.gamma_se_dB = ji::require_number(j, "", "gamma_se_dB");
  inst.sigma_u_dBm = ji::require_number(j, "", "sigma_u_dBm");
  inst.sigma_t_dBm = ji::require_number(j, "", "sigma_t_dBm");
  inst.sigma_b_dBm = ji::require_number(j, "", "sigma_b_dBm");
  inst.snr_offset_dB = ji::optional_number(j, "", "snr_offset_dB", 0.0);
  if (ji::has(j, "seed")) inst.seed = ji::unsigned_integer(j.at("seed"), "seed");

  const auto& channels = ji::require(j, "", "channels");
  ji::reject_unknown_keys(channels, "channels", {"g", "h_ce", "h_e"});
  const auto& g = ji::require(channels, "channels", "g");
  if (!g.is_array()) throw InputError("channels.g", "expected an array of K complex vectors");
  if (static_cast<int>(g.size()) != inst.K)
    throw InputError("channels.g", "expected K = " + std::to_string(inst.K) + " vectors, got " + std::to_string(g.size()));
  for (std::size_t k = 0; k < g.size(); ++k) inst.g.push_back(ji::complex_vector(g[k], ji::at("channels.g", k), inst.Nt));
  inst.h_ce = ji::complex_vector(ji::require(channels, "channels", "h_ce"), "channels.h_ce", inst.Nt);
  inst.h_e = ji::complex_vector(ji::require(channels, "channels", "h_e"), "channels.h_e", inst.K);
  validate(inst);
  return inst;
}

json to_json(const Instance& inst) {
  json j;
  j["model"] = kModelName;
  j["Nt"] = inst.Nt;
  j["K"] = inst.K;
  j["P_dBm"] = inst.P_dBm;
  j["gamma_s_dB"] = inst.gamma_s_dB;
  j["gamma_se_dB"] = inst.gamma_se_dB;
  j["sigma_u_dBm"] = inst.sigma_u_dBm;
  j["sigma_t_dBm"] = inst.sigma_t_dBm;
  j["sigma_b_dBm"] = inst.sigma_b_dBm;
  j["snr_offset_dB"] = inst.snr_offset_dB;
  if (inst.seed) j["seed"] = *inst.seed;
  json g = json::array();
  for (const auto& gk : inst.g) g.push_back(ji::to_json(gk));
  j["channels"] = {{"g", g}, {"h_ce", ji::to_json(inst.h_ce)}, {"h_e", ji::to_json(inst.h_e)}};
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
  if (static_cast<int>(design.Q.size()) != inst.K)
    throw InputError("Q", "expected K = " + std::to_string(inst.K) + " matrices, got " + std::to_string(design.Q.size()));
  for (std::size_t k = 0; k < design.Q.size(); ++k)
    check_hermitian_psd(design.Q[k], inst.Nt, ji::at("Q", k), kDesignTolerance);
  check_hermitian_psd(design.S, inst.Nt, "S", kDesignTolerance);
}

Design design_from_json(const json& j, const Instance& inst) {
  if (!j.is_object()) throw InputError("<root>", "a design must be a JSON object");
  if (ji::has(j, "model") && j.at("model") != kModelName)
    throw InputError("model", std::string("design is for ") + j.at("model").dump() + ", instance is " + kModelName);
  ji::reject_unknown_keys(j, "", {"model", "Q", "w", "S"});
  Design design;
  const bool has_q = ji::has(j, "Q"), has_w = ji::has(j, "w");
  if (has_q == has_w) throw InputError("Q", "give exactly one of \"Q\" (covariances) or \"w\" (beamformers)");
  const std::string key = has_q ? "Q" : "w";
  const json& list = j.at(key);
  if (!list.is_array()) throw InputError(key, "expected an array of K entries");
  if (static_cast<int>(list.size()) != inst.K)
    throw InputError(key, "expected K = " + std::to_string(inst.K) + " entries, got " + std::to_string(list.size()));
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (has_q) {
      design.Q.push_back(ji::complex_matrix(list[k], ji::at("Q", k), inst.Nt, inst.Nt));
    } else {
      const Eigen::VectorXcd w = ji::complex_vector(list[k], ji::at("w", k), inst.Nt);
      design.Q.push_back(w * w.adjoint());
    }
  }
  design.S = ji::has(j, "S") ? ji::complex_matrix(j.at("S"), "S", inst.Nt, inst.Nt) : Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
  validate(design, inst);
  for (auto& q : design.Q) q = hermitian_part(q);
  design.S = hermitian_part(design.S);
  return design;
}

json to_json(const Design& design) {
  json q = json::array();
  for (const auto& qk : design.Q) q.push_back(ji::to_json(qk));
  return {{"model", kModelName}, {"Q", q}, {"S", ji::to_json(design.S)}};
}

Design read_design(const std::string& path, const Instance& inst) {
  return ji::read_file_as(path, [&inst](const json& j) { return design_from_json(j, inst); });
}

void write_design(const Design& design, const std::string& path) { ji::write_file(to_json(design), path); }

Design design_from_beamformers(const Instance& inst, const std::vector<Eigen::VectorXcd>& w, const Eigen::MatrixXcd& S) {
  if (static_cast<int>(w.size()) != inst.K)
    throw InputError("w", "expected K = " + std::to_string(inst.K) + " beamformers, got " + std::to_string(w.size()));
  Design design;
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (w[k].size() != inst.Nt) throw InputError(ji::at("w", k), "expected length Nt = " + std::to_string(inst.Nt));
    design.Q.push_back(w[k] * w[k].adjoint());
  }
  design.S = S;
  validate(design, inst);
  return design;
}

}  // namespace isacbf::model_a
