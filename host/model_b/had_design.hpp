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
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/instance.hpp"
#include "host/model_b/manifold.hpp"
#include "host/model_b/manifold_batch.hpp"

namespace isacbf::model_b {

// The conic settings of the HAD digital steps: base (the FP steps' settings, eps 1e-6) with a fixed
// data-based scale and b, c scaled to unit norm after equilibration. The steps' SOCPs are badly scaled
// (|A| up to 5e5 against |c| = 1 at Nt 256), and there the adaptive scale collapsed to ~1e-3. Measured
// by bench/bench_had_step_settings: the first three steps at Nt 32 / 64 / 256, seeds 1, 2, 4, 23 SOCPs.
// With the FP settings 5 of them hit the 100,000-iteration cap (geometric mean 13,879 iterations).
// With these two settings all 23 end optimal, geometric mean 692, max 2311 (docs/model-b.md, "Conic solver").
conic::Settings had_conic_settings(conic::Settings base);

struct HadOptions {
  int n_rf = 8;
  double delta = 1e-3;
  int max_iterations = 15;
  int penalty_rounds = 8;
  bool warm_start = true;          // digital steps start from the previous step's conic solution (1.5-5x
                                   // fewer ADMM iterations, same designs: bench/bench_had_step_settings)
  double mu_growth = 5.0;          // x2-10 per round (model-b.md)
  double violation_tolerance = 1e-4;  // on the normalised constraint values p_c (noise terms = 1)
  ManifoldOptions manifold{100, 1e-8, 1e-10, 1e-4, true};
  conic::Settings conic = had_conic_settings(FpOptions{}.conic);  // the digital steps' solver settings
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

// The analog-step problem at the design's start (the MO-AltMin point (49), weights (50)) and that F:
// a realistic manifold problem of the instance's size without a conic solve (tests, benchmarks).
ManifoldProblem had_start_analog_problem(const Instance& inst, const HadOptions& options, Eigen::MatrixXcd& F0);

// (49)'s MO-AltMin target: the digital initial point [W0 S0] (S0 as Ns equal-power columns) in units
// where the power budget is 1 (Nt x (K + Ns)).
Eigen::MatrixXcd had_altmin_target(const Instance& inst);

// Many instances at once, in lockstep: each iteration's digital steps are one conic batch and its
// analog steps one manifold batch per shape (penalty rounds in lockstep, an instance leaving when its
// violations are below tolerance). Each instance follows exactly run_had's sequence; run_had is a
// batch of one on the CPU manifold backend. With the CPU reference for both (concurrent_single_calls and
// a CPU manifold backend) each instance runs alone on its own thread instead (o.conic.threads; 0 = all
// cores): no round waits for the slowest. InputError names "instances[i]...".
std::vector<HadResult> run_had_batch(const std::vector<Instance>& instances, conic::BatchSolver& solver,
                                     ManifoldBatchSolver& manifold, const HadOptions& options = {});

}  // namespace isacbf::model_b
