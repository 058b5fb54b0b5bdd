#pragma once
// Model A instance and design JSON (docs/formats.md "Model A"). Every reader validates and throws
// InputError naming the JSON field (and the file, for the *_file/read_* variants).
#include <nlohmann/json.hpp>
#include <string>

#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

Instance instance_from_json(const nlohmann::json& j);  // validates (also calls validate())
nlohmann::json to_json(const Instance& inst);
Instance read_instance(const std::string& path);
void write_instance(const Instance& inst, const std::string& path);

// Dimensions, finite values, nonzero channels, powers/thresholds finite and within +-1000 dB(m).
void validate(const Instance& inst);

// Design JSON: {"Q": [K Hermitian Nt x Nt matrices], "S": Nt x Nt} or {"w": [K vectors], "S": ...}
// (Q_k = w_k w_k^H); "S" may be omitted (zero). Matrices are {"re": [[row]...], "im": [[row]...]}.
// Q_k and S must be Hermitian and PSD within kDesignTolerance * ||X||_F; they are stored Hermitised.
inline constexpr double kDesignTolerance = 1e-6;
Design design_from_json(const nlohmann::json& j, const Instance& inst);
nlohmann::json to_json(const Design& design);
Design read_design(const std::string& path, const Instance& inst);
void write_design(const Design& design, const std::string& path);
void validate(const Design& design, const Instance& inst);

// Covariances of beamformers: Q_k = w_k w_k^H (each w_k of length Nt).
Design design_from_beamformers(const Instance& inst, const std::vector<Eigen::VectorXcd>& w, const Eigen::MatrixXcd& S);

}  // namespace isacbf::model_a
