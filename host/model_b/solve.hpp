#pragma once
// Model B entry point: one instance, one scheme -> formats.md's model-B result JSON.
// `isacbf solve-b` prints it; `isacbf solve` is meant to dispatch model-B files here once merged.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/instance.hpp"
#include "host/model_b/manifold_batch.hpp"

namespace isacbf::model_b {

// digital            Algorithm 1 (SDR sensing covariance, rank reduction, beams from R_s)
// comm_only          Ns = 0, (15a) dropped (every AE hears every stream)
// comm_only_strict   Ns = 0, (15a) kept: certified infeasible by a convex relaxation
// comm_only_carrier  Ns = 0, (15a) on every stream but one sensing carrier, best carrier over K
// an_upper_bound     AN-aided design with TRUE AE CSI and no SCNR constraint (sum-rate upper bound)
// had, decomposed_had  hybrid designs (N_RF from the instance, or SolveOptions::n_rf when > 0)
const std::vector<std::string>& scheme_names();

struct SolveOptions {
  std::string scheme = "digital";
  std::shared_ptr<conic::BatchSolver> solver;  // empty: default_solver()
  std::shared_ptr<ManifoldBatchSolver> manifold;  // HAD analog steps; empty: the CPU reference
  FpOptions fp;
  int n_rf = 0;  // HAD: overrides the instance's N_RF when > 0
  bool include_design = false;  // adds "design": {W, S} (formats.md design JSON)
};

// The conic solver used when none is given: the CVXOPT bridge when python3-cvxopt is installed,
// else the CPU ADMM reference.
std::shared_ptr<conic::BatchSolver> default_solver();

nlohmann::json solve_instance(const Instance& inst, const SolveOptions& options = {});

// The checks solve_instance makes before any work (instance, scheme, RF chains of hybrid schemes).
void check_instance(const Instance& inst, const SolveOptions& options);

// Many instances, one scheme. HAD runs them as lockstep batches (run_had_batch; one per N_RF) whose
// analog steps go to options.manifold (the GPU's batched Riemannian kernels with `--backend gpu`);
// each result's solve_seconds is its share of the batch's wall time, and "batch_size" says how many
// shared it. Other schemes: solve_instance one by one. InputError names "instances[i]...".
std::vector<nlohmann::json> solve_instances(const std::vector<Instance>& instances, const SolveOptions& options = {});

}  // namespace isacbf::model_b
