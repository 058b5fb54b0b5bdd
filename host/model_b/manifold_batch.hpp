#pragma once
// Many manifold problems of one shape minimised at once (solver.md "Batched Riemannian kernels"):
// the seam between the HAD design and the backends, like conic::BatchSolver for the convex steps.
// The CPU backend runs minimise_on_circle_manifold on each instance over threads; the GPU backend
// (cuda/manifold_batched.cu) runs the same Riemannian CG in lockstep over the batch with per-instance
// convergence masks, batched matrix products on F and Armijo trials for all instances in parallel.
// Both take their decisions with kernels/riemannian_cg.hpp, so results agree instance by instance up
// to rounding.
#include <complex>
#include <memory>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/model_b/manifold.hpp"
#include "kernels/riemannian.hpp"

namespace isacbf::model_b {

class ManifoldBatchSolver {
 public:
  virtual ~ManifoldBatchSolver() = default;
  virtual conic::Backend backend() const = 0;
  // One result per problem (F, cost after every accepted step, iterations). Every problem must have
  // the shape of the first (Nt, N_RF, P, L, number of penalties); throws InputError naming
  // "problems[i]..." or "F0[i]" otherwise, before any work.
  virtual std::vector<ManifoldResult> minimise(const std::vector<ManifoldProblem>& problems,
                                               const std::vector<Eigen::MatrixXcd>& F0, const ManifoldOptions& options) = 0;
};

// threads 0: all cores.
std::unique_ptr<ManifoldBatchSolver> make_cpu_manifold_solver(int threads = 0);
// Throws GpuUnavailable when the build has no CUDA or no usable device is present.
std::unique_ptr<ManifoldBatchSolver> make_gpu_manifold_solver();
std::unique_ptr<ManifoldBatchSolver> make_manifold_solver(conic::Backend backend);

// Problems of any shapes: one solver.minimise call per shape (Nt, N_RF, P, L, penalties, identity
// probes), results in the problems' order. What the HAD analog steps and MO-AltMin call.
std::vector<ManifoldResult> minimise_by_shape(ManifoldBatchSolver& solver, const std::vector<ManifoldProblem>& problems,
                                              const std::vector<Eigen::MatrixXcd>& F0, const ManifoldOptions& options);

// A batch flattened into per-instance contiguous arrays (column-major matrices, complex as
// std::complex<double>, which is layout-compatible with kernels::Cx): what the GPU uploads.
struct ManifoldBatchData {
  kernels::ManifoldDims dims{};
  int batch = 0;
  std::vector<std::complex<double>> C, B, beta, F0;  // Nt x P (none with identity probes), N_RF x L, P x L, Nt x N_RF per instance
  std::vector<double> a, pen_a;                      // P x L, num_penalties x P x L per instance
  std::vector<double> kappa, pi;                     // one per instance
  std::vector<double> pen_pi, pen_kappa, mu;         // num_penalties per instance
};

// Validates every problem and the options and checks that the shapes agree (InputError naming
// "problems[i]..." or "F0[i]"); returns the shape they share (zeros for an empty batch).
kernels::ManifoldDims check_manifold_batch(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                           const ManifoldOptions& options);

// check_manifold_batch, then the batch flattened.
ManifoldBatchData pack_manifold_batch(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                      const ManifoldOptions& options);

}  // namespace isacbf::model_b
