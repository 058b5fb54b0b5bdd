#pragma once
// Fully digital design by FP-based alternating optimisation (model-b.md Algorithm 1): closed-form
// rho, y (24)-(25); the W/R_s conic step (digital_step.hpp) on the reduced basis; MVDR receivers (27);
// stop when the sum rate changes by less than delta (relative). Initialisation (28)-(29) with xi
// scanned downward. The design uses the estimated AE CSI (g_est, theta_ae_est_deg).
#include <string>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

struct FpOptions {
  double delta = 1e-3;         // relative sum-rate change that stops the loop
  int max_iterations = 30;
  int xi_grid = 20;            // xi = 1, 1 - 1/xi_grid, ..., 0
  bool sensing_constraints = true;  // (15b)
  bool sensing_covariance = true;   // R_s free (false: Ns = 0, no sensing signal)
  std::vector<std::vector<bool>> eve_on;  // [j][k] (empty: (15a) on every AE and stream)
  conic::Settings conic;
};

struct FpResult {
  std::string status = "numerical_error";  // optimal | infeasible | max_iterations | numerical_error
  std::string message;
  Eigen::MatrixXcd W, R_s;                 // Nt x K, Nt x Nt
  int iterations = 0;                      // conic steps taken
  std::vector<double> objective_trace;     // sum rate (bps/Hz, design CSI) at the start and after each step
  double xi = 0.0;                         // chosen initial split
  bool initial_point_feasible = false;
  int basis_dimension = 0;
};

FpResult run_digital_fp(const Instance& inst, conic::BatchSolver& solver, const FpOptions& options = {});

// The instance as the designer sees it: true AE CSI replaced by the estimate (so metrics::evaluate on
// it gives the design-side constraint values).
Instance design_view(const Instance& inst);

// Largest violation ratio of the design constraints (design CSI, MVDR receivers): max over
// gamma_{j,k}/Gamma_e (rows in eve_on), Gamma_s/SCNR_j (when sensing), power/P. <= 1 + tol: feasible.
double worst_constraint_ratio(const Instance& inst, const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& R_s,
                              const FpOptions& options = {});

}  // namespace isacbf::model_b
