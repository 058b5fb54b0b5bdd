#pragma once
// Host driver of the manifold optimisation over the analog precoder F on the complex circle manifold
// (model-b.md "HAD"): Riemannian conjugate gradient (Polak-Ribiere+, projection transport, restart on
// non-descent) with Armijo backtracking and the retraction x / |x|. The per-instance math is in
// kernels/riemannian.hpp (shared with the GPU); this file only owns the loop and the Eigen views.
#include <Eigen/Dense>
#include <vector>

#include "kernels/riemannian_cg.hpp"

namespace isacbf::model_b {

// cost(F) = sum a|M|^2 + Re(conj(beta) M) + kappa + pi ||F B||^2 + sum_c mu_c max(0, p_c)^2,
// p_c = sum pen_a[c] |M|^2 + pen_pi[c] ||F B||^2 + pen_kappa[c], with M = C^H F B.
struct ManifoldProblem {
  Eigen::MatrixXcd C;  // Nt x P probes (empty when identity_probes)
  bool identity_probes = false;  // C = I, P = Nt, not stored (MO-AltMin: M = F B)
  Eigen::MatrixXcd B;  // N_RF x L digital columns
  Eigen::MatrixXd a;   // P x L
  Eigen::MatrixXcd beta;
  double kappa = 0.0, pi = 0.0;
  std::vector<Eigen::MatrixXd> pen_a;
  std::vector<double> pen_pi, pen_kappa, mu;
};

void validate(const ManifoldProblem& problem, const Eigen::MatrixXcd& F);
Eigen::Index probe_count(const ManifoldProblem& problem, const Eigen::MatrixXcd& F);  // P (Nt with identity_probes)
double manifold_cost(const ManifoldProblem& problem, const Eigen::MatrixXcd& F);
std::vector<double> penalty_values(const ManifoldProblem& problem, const Eigen::MatrixXcd& F);
Eigen::MatrixXcd euclidean_gradient(const ManifoldProblem& problem, const Eigen::MatrixXcd& F);  // 2 d cost / d conj F
Eigen::MatrixXcd riemannian_gradient(const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& egrad);
Eigen::MatrixXcd retract(const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& direction, double step);

struct ManifoldOptions {
  int max_iterations = 300;
  double gradient_tolerance = 1e-8;  // stop when ||grad|| <= tol * max(1, |cost|)
  double relative_decrease = 1e-10;  // stop when the cost drops by less than this (relative)
  double armijo = 1e-4;
  bool conjugate_gradient = true;
};

void validate(const ManifoldOptions& options);
// The options in the plain form the shared CG decisions take (kernels/riemannian_cg.hpp).
kernels::CgOptions to_cg_options(const ManifoldOptions& options);

struct ManifoldResult {
  Eigen::MatrixXcd F;
  std::vector<double> cost_trace;  // initial cost, then after each accepted step
  int iterations = 0;
};

ManifoldResult minimise_on_circle_manifold(const ManifoldProblem& problem, const Eigen::MatrixXcd& F0,
                                           const ManifoldOptions& options = {});

}  // namespace isacbf::model_b
