#pragma once
// Hybrid analog-digital design (model-b.md Algorithm 2): W = F W_BB, S = F S_BB, |F_mn| = 1.
// Each iteration: rho, y (24)-(25); digital step with F fixed (had_step.hpp, an SOCP); analog step by
// penalty-based manifold optimisation of F (manifold.hpp over kernels/riemannian.hpp) with the
// negated FP surrogate as cost and the AE-SINR, SCNR and power constraints as squared-hinge penalties
// whose weights grow until the violations are below tolerance. Initialisation (49): MO-AltMin of the
// digital initial point (28)-(29); initial weights (50): the cost's magnitude. The design uses the
// estimated AE CSI; the best design that satisfies every constraint is returned.
#include <string>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/model_b/instance.hpp"
#include "host/model_b/manifold.hpp"

namespace isacbf::model_b {

struct HadOptions {
  int n_rf = 8;
  double delta = 1e-3;
  int max_iterations = 15;
  int penalty_rounds = 8;
  double mu_growth = 5.0;          // x2-10 per round (model-b.md)
  double violation_tolerance = 1e-4;  // on the normalised constraint values p_c (noise terms = 1)
  ManifoldOptions manifold{100, 1e-8, 1e-10, 1e-4, true};
  conic::Settings conic;  // the design (solve.cpp) passes FpOptions::conic, the settings model B was validated with
};

struct HadResult {
  std::string status = "numerical_error";  // optimal | infeasible | max_iterations | numerical_error
  std::string message;
  Eigen::MatrixXcd F, W, S;  // W = F W_BB, S = F S_BB (powers in W)
  int iterations = 0;
  std::vector<double> objective_trace;  // sum rate (design CSI) after each iteration's digital step
  bool feasible = false;
};

HadResult run_had(const Instance& inst, conic::BatchSolver& solver, const HadOptions& options = {});

}  // namespace isacbf::model_b
