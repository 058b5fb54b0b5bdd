#pragma once
// P4's data in scaled units (model-a.md, "Scaling"): covariances relative to the budget P
// (X = P U Y U^H), every quadratic form divided by its noise power, and every linear constraint divided
// by its own right-hand side. Raw data spans noise 1e-13 W against path gains 1e-7; after this the
// conic data is O(1) and invariant under rescaling all powers and noises together.
// The blocks are Z_j with Y_j = T_j Z_j T_j^H, T_j = D_j diagonal (an exact congruence per block:
// Y_j >= 0 <=> Z_j >= 0) that makes h_ce^H Y_j h_ce O(1) in Z (see make_scaled_model); all linear
// forms below are per block, in Z coordinates.
#include <Eigen/Dense>
#include <optional>
#include <vector>

#include "host/model_a/instance.hpp"
#include "host/model_a/subspace.hpp"

namespace isacbf::model_a {

// Which constraints and variables a problem has (the schemes of model-a.md "Baselines").
struct ProblemOptions {
  Form form = Form::reduced;
  bool sensing_security = true;              // constraint (27); false for scheme no_sensing_security
  std::optional<Eigen::MatrixXcd> fixed_S;   // scheme s_random: S fixed (watts, Nt x Nt), only Q_k optimised
};

// hvec of the d x d blocks Y_1..Y_K and, when S is optimised, Y_S last.
using Blocks = std::vector<Eigen::VectorXd>;

struct ScaledModel {
  int K = 0;
  int d = 0;
  bool optimise_S = true;
  bool sensing_security = true;
  double P_W = 0.0;
  Subspace sub;
  std::vector<Eigen::MatrixXcd> T;         // per block (d x d, invertible): Y_j = T_j Z_j T_j^H, Z_j = block j
  // Linear forms, indexed [block] (user_snr [k][block]): coeff[j] . Z_j
  std::vector<std::vector<Eigen::VectorXd>> user_snr;  // m1 P hvec(T^H c_k c_k^H T) / sigma_u^2: SNR at CU k
  std::vector<Eigen::VectorXd> target_snr;  // m2 P hvec(T^H c_ce c_ce^H T) / sigma_t^2: SNR at the target
  std::vector<Eigen::VectorXd> target_form; // hvec(T^H c_ce c_ce^H T): h_ce^H X h_ce / P
  std::vector<Eigen::VectorXd> trace;       // hvec(T^H T): Tr(X) / P
  // Contributions of a fixed S, in the same units (zero when S is optimised).
  std::vector<double> fixed_user_snr;
  double fixed_target_snr = 0.0;
  double fixed_target_form = 0.0;
  double fixed_power = 0.0;                // Tr(S) / P
  // Constraint scales: (27)_k reads security_scale_k (q_S + q_k - gamma_se sum_{i!=k} q_i + fixed) <= 1,
  // (28) reads sensing_scale (q_S + fixed - gamma_s sum_i q_i) >= 1, with q = target_form . Y.
  std::vector<double> security_scale;      // |h_e,k|^2 P / (gamma_se sigma_u^2)
  double sensing_scale = 0.0;              // ||h_ce||^2 P / (gamma_s sigma_b^2)
  double gamma_se = 0.0;                   // linear
  double gamma_s = 0.0;                    // linear

  int blocks() const { return K + (optimise_S ? 1 : 0); }

  // The SINR arguments of the logs (model-a.md (36)-(43)) at given blocks, fixed S included:
  double user_total(const Blocks& y, int k) const;         // m1 h_k (S + sum_i Q_i) h_k^H
  double user_interference(const Blocks& y, int k) const;  // m1 h_k (S + sum_{i!=k} Q_i) h_k^H
  double target_total(const Blocks& y) const;              // m2 h_ce^H (S + sum_i Q_i) h_ce
  double target_without(const Blocks& y, int k) const;     // m2 h_ce^H (S + sum_{i!=k} Q_i) h_ce

  // Largest relative violation of (27), (28), (29) at the PSD parts of the blocks (0 when all hold);
  // each constraint is measured relative to its own right-hand side.
  double constraint_violation(const Blocks& y) const;

  // sum_k [R_u,k - R_t,k]^+ in bps/Hz from the blocks (the SCA's own trace; results use metrics.hpp).
  double secrecy_rate(const Blocks& y) const;
};

// Validates the instance fields it uses (dimensions, finiteness, fixed_S shape) and throws InputError.
// rescale_target: the congruences D_j of make_scaled_model (on for the ADMM backends; off keeps D = I,
// which the interior-point cross-check handles better at the paper preset -- docs/model-a.md).
ScaledModel make_scaled_model(const Instance& inst, const ProblemOptions& options, bool rescale_target = true);

// Blocks <-> design in watts (Q_k = P U T_k Z_k T_k^H U^H; S likewise or the fixed S).
Design to_design(const ScaledModel& model, const Blocks& y, const ProblemOptions& options);
Blocks to_blocks(const ScaledModel& model, const Design& design);  // projects onto the subspace

}  // namespace isacbf::model_a
