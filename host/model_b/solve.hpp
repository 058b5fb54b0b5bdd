#pragma once
// Model B entry point: instances and a scheme -> formats.md's model-B result JSON, one per instance.
// `isacbf solve-b` and `isacbf solve` (model-B files) print them.
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

// Many instances, one scheme, as one batch: each round's conic steps of every design still running go
// to the solver in one call (the CVXOPT bridge spreads them over its Python processes, the GPU solver
// batches them; with the CPU ADMM each digital design runs on its own thread, run_digital_fp_batch); HAD's analog steps and decomposed HAD's
// MO-AltMin fits go to options.manifold (the GPU's batched Riemannian kernels with `--backend gpu`), one
// batch per N_RF. Each result equals solve_instance's for that instance with a deterministic solver;
// solve_seconds is its share of the batch's wall time and "batch_size" (batches of more than one) says
// how many shared it. InputError names "instances[i]...".
std::vector<nlohmann::json> solve_instances(const std::vector<Instance>& instances, const SolveOptions& options = {});

}  // namespace isacbf::model_b
