#pragma once
// Model B instance and design JSON (docs/formats.md "Model B"). Readers validate and throw
// InputError naming the JSON field (and the file for read_*).
#include <nlohmann/json.hpp>
#include <string>

#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

// g_est / theta_ae_est_deg are optional and default to g_true / theta_ae_deg; N_RF defaults to 0.
Instance instance_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Instance& inst);
Instance read_instance(const std::string& path);
void write_instance(const Instance& inst, const std::string& path);
// Dimensions, finite values, nonzero user/AE channels, angles in [-90, 90], dB(m) finite within +-1000.
void validate(const Instance& inst);

// Design JSON: {"W": Nt x K, "S": Nt x Ns} or {"W": ..., "R_s": Nt x Nt Hermitian PSD}, optional
// "U": Nr x J receive beamformers (absent: MVDR receivers). Neither S nor R_s: no sensing signal.
inline constexpr double kDesignTolerance = 1e-6;
Design design_from_json(const nlohmann::json& j, const Instance& inst);
nlohmann::json to_json(const Design& design);  // writes S when present, else R_s
Design read_design(const std::string& path, const Instance& inst);
void write_design(const Design& design, const std::string& path);
void validate(const Design& design, const Instance& inst);

// Design from explicit beams: R_s = S S^H (S may have zero columns).
Design design_from_beams(const Instance& inst, const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& S);

}  // namespace isacbf::model_b
