#pragma once
// The one conic form every convex step is written in (solver.md):
//     minimise c^T x  subject to  A x + s = b,  s in K
// K is a product of cones in this fixed order:
//   zero (equalities), non-negative orthant, second-order cones, real symmetric PSD cones,
//   complex Hermitian PSD cones, primal exponential cones, dual exponential cones.
//
// Vectorisations (inner products preserved, so <X, Y> = svec(X)^T svec(Y)):
//   real symmetric n x n  -> n(n+1)/2 reals, "svec": column-major lower triangle,
//       for j = 0..n-1: X_jj, then for i = j+1..n-1: sqrt(2) X_ij
//   complex Hermitian n x n -> n^2 reals, "hvec":
//       for j = 0..n-1: X_jj (real), then for i = j+1..n-1: sqrt(2) Re X_ij, sqrt(2) Im X_ij
//   second-order cone of size q: (t, x) with ||x||_2 <= t, t first
//   primal exponential cone: (r, s, t) with s exp(r/s) <= t, s > 0 (closure)
//   dual exponential cone:   (u, v, w) with -u exp(v/u) <= e w, u < 0 (closure)
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <string>
#include <vector>

#include "kernels/adaptive_scale.hpp"

namespace isacbf::conic {

struct ConeSpec {
  int zero = 0;
  int nonneg = 0;
  std::vector<int> soc;          // sizes q >= 1
  std::vector<int> psd_real;     // orders n >= 1
  std::vector<int> psd_complex;  // orders n >= 1
  int exp_primal = 0;            // number of 3-dimensional primal exponential cones
  int exp_dual = 0;              // number of 3-dimensional dual exponential cones

  int dimension() const;  // total length of s (number of rows of A)
  bool operator==(const ConeSpec&) const = default;
};

struct ConicProblem {
  ConeSpec cones;
  Eigen::SparseMatrix<double, Eigen::ColMajor> A;  // m x n, m == cones.dimension()
  Eigen::VectorXd b;                               // m
  Eigen::VectorXd c;                               // n
};

// Checks dimensions, finiteness and cone sizes; throws InputError naming the field.
void validate(const ConicProblem& problem);

// Same dimensions and the same stored entries (row indices, column by column; explicit zeros count). One
// device batch of the GPU backend needs one pattern.
bool same_sparsity_pattern(const Eigen::SparseMatrix<double>& a, const Eigen::SparseMatrix<double>& b);

enum class Status { optimal, infeasible, unbounded, max_iterations, numerical_error };
const char* to_string(Status status);

// Bounds of Settings that only guard against runaway work or memory (the useful values are far below).
inline constexpr int kMaxEquilibrationPasses = 1000;
inline constexpr int kMaxAndersonMemory = 100;  // memory x (n + m + 1) doubles per instance, twice

struct Settings {
  double eps_abs = 1e-5;        // absolute primal/dual residual and gap tolerance
  double eps_rel = 1e-5;        // relative to the data and iterate scale
  double eps_infeas = 1e-7;     // certificate tolerance for infeasible / unbounded
  double norm_cap = 10.0;       // relative scale of the residual test capped at this * max(|b|,1) / max(|c|,1);
                                // 0 = SCS 3's uncapped max(|Ax|,|s|,|b|) / max(|A^T y|,|c|)
  int max_iters = 100000;
  double time_limit_s = 0.0;    // 0: none; when hit the status is max_iterations
  double alpha = 1.5;           // over-relaxation
  double scale = 0.0;           // initial dual scale; 0 = from the data, ||c_hat|| / ||b_hat|| (initial_scale.hpp)
  bool adaptive_scale = true;
  int equilibration_passes = 10;  // Ruiz passes; 0 disables; at most kMaxEquilibrationPasses
  int anderson_memory = 10;       // 0 disables Anderson acceleration; at most kMaxAndersonMemory
  int check_interval = 25;        // residuals checked every this many iterations
  int threads = 0;                // CPU: worker threads over instances; 0 = all cores
  bool verbose = false;
  // Added with the CPU reference solver (docs/solver.md):
  double rho_x = 1e-6;            // R_x = rho_x I (x-block of the DR metric)
  bool anderson_type1 = false;    // type-I (true) or type-II (false) Anderson; II measured better
  double anderson_reg = 1e-8;     // Tikhonov regularisation, relative to the normal matrix norm
  double anderson_safeguard = 5.0;  // reject an AA step when ||f(w_aa)|| > this * ||f(w_prev)|| (SCS: 1;
                                    // 5 measured better on SDPLIB and unseen problems, docs/solver.md)
  int anderson_interval = 10;      // extrapolate every this many iterations (plain steps between)
  bool anderson_reset_on_reject = false;  // clear the AA memory when the safeguard rejects a step
  int scale_update_min_iters = 100;  // adaptive scale: at least this many iterations apart
  bool scale_trials = true;          // adaptive scale: trial steps up on slow progress (kernels/adaptive_scale.hpp;
                                     // measured on SDPLIB and unseen problems, docs/solver.md)
  int scale_trial_doublings = 3;     // adaptive scale: the cooldown after an undone trial (2 decisions) doubles
                                     // for each trial undone in a row, at most this often (0: always 2;
                                     // at most kernels::kMaxTrialDoublings; docs/solver.md)
  double scale_floor = 0.5;          // adaptive scale: not below this x ||y|| / ||s|| of the equilibrated iterate
                                     // while that balance is steady (0 = off; kernels/adaptive_scale.hpp,
                                     // measured on SDPLIB and unseen problems, docs/solver.md)
  bool equilibration_l2_pass = false;  // one 2-norm pass after the Ruiz passes (SCS 3.2)
  bool normalize_bc = false;         // b, c also scaled to unit inf-norm after equilibration (SCS 3.2 does
                                     // not; off measured better on SDPLIB, docs/solver.md)
  std::string linear_solver;      // "" automatic, or "woodbury" / "dense_llt" / "sparse_ldlt" / "cg"
  double memory_limit_gb = 0.0;   // the memory the automatic x-system must fit (linsys_plan.hpp); 0: the machine's
  int eig_threshold = -1;         // PSD blocks of order <= this use Jacobi, larger Eigen; -1 default
  std::string psd_method = "auto";  // CPU: eigensolver of the blocks above eig_threshold: auto (by order and
                                     // kind, measured), eigen, lapack_evd, lapack_evr or lapack_partial
                                     // (host/conic/psd_method.hpp); the GPU has its own (gpu::set_eig_method)
  int gpu_max_batch = 0;  // GPU: instances per device batch at most (0: as many as fit the device's free
                          // memory, host/conic/device_batch.hpp); a batch is cut into device batches
  std::string psd_equilibration = "auto";  // PSD rows: "block" (one scale), "congruence" (D_ij = t_i t_j), or
                                           // "auto" (congruence where a block's index spread > 100)

  bool operator==(const Settings&) const = default;
};

// Checks every field (both backends call it); throws InputError("settings.FIELD").
void validate(const Settings& settings);

// The adaptive scale's rule (kernels/adaptive_scale.hpp) as both backends run it.
inline kernels::ScaleRule scale_rule(const Settings& s) {
  return {s.scale_update_min_iters, s.scale_trials, s.scale_trial_doublings, s.scale_floor};
}

// A previous solution to start from (same problem shape). Empty vectors mean "cold start".
struct WarmStart {
  Eigen::VectorXd x, y, s;
};

// Every backend's check of a batch's warm starts: empty, or one per problem; else
// InputError("warm_starts") saying both counts.
void validate_warm_starts(std::size_t batch_size, const std::vector<WarmStart>& warm_starts);

struct Solution {
  Status status = Status::numerical_error;
  Eigen::VectorXd x, y, s;         // primal, dual, slack (unscaled); certificates when infeasible/unbounded
  double primal_objective = 0.0;   // c^T x
  double dual_objective = 0.0;     // -b^T y
  double primal_residual = 0.0;    // ||A x + s - b||_inf
  double dual_residual = 0.0;      // ||A^T y + c||_inf
  double gap = 0.0;                // |c^T x + b^T y|
  int iterations = 0;
  double seconds = 0.0;
  std::string linear_solver;       // which linear-system path was used ("woodbury", "ldlt", ...)
  std::string message;             // human-readable detail (e.g. "time limit reached")
  // Added with the CPU reference solver:
  double scale = 0.0;              // final dual scale
  int scale_updates = 0;           // adaptive scale changes (each a refactorisation)
  int anderson_accepted = 0;       // extrapolated steps taken
  int anderson_rejected = 0;       // extrapolated steps undone by the safeguard
};

}  // namespace isacbf::conic
