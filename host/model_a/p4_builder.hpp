#pragma once
// P4 of Algorithm 1 (model-a.md) and its feasibility phase in the one conic form
//   minimise c^T x  s.t.  A x + s = b,  s in K   (host/conic/problem.hpp),
// built from a ScaledModel. Variables: hvec(Y_1..Y_K[, Y_S]), then t_k, e_k, v_k (k = 1..K) and w, the
// deviations of tau_k, eps_k, v_k, u from the reference values of the current expansion point
// (so every variable is O(1) and each exponential cone is centred: e^{t} <= e^{-tau_ref}(1 + SINR)).
// Cone rows, in order:
//   nonneg : (42)_k, (43), (27)_k [if sensing security], (28), (29)
//   hermitian PSD : one d x d block per covariance
//   exp primal : (36)_k as (t_k, 1, e^{-tau_ref_k}(1 + ...)), then (39)_k likewise
// Every non-negative row is divided by its largest coefficient; structure (the sparsity pattern of A)
// depends only on (K, d, options), never on the data, so a batch shares one pattern.
#include <vector>

#include "host/conic/problem.hpp"
#include "host/model_a/scaled_model.hpp"

namespace isacbf::model_a {

// The SCA expansion point (eps^(n), u^(n)) and the reference logs that centre the exponential cones.
struct Expansion {
  std::vector<double> eps;      // eps_k^(n)
  double u = 0.0;               // u^(n)
  std::vector<double> tau_ref;  // ln(1 + m1 h_k (S + sum Q) h_k^H) at the current iterate
  std::vector<double> v_ref;    // ln(1 + m2 h_ce^H (S + sum_{i!=k} Q_i) h_ce) at the current iterate
};

// The tight expansion at blocks y: eps, u and the references are the true logs there.
Expansion tight_expansion(const ScaledModel& model, const Blocks& y);

struct P4Layout {
  int K = 0, d = 0, blocks = 0;
  int block_size() const { return d * d; }
  int block(int j) const { return j * block_size(); }
  int t(int k) const { return blocks * block_size() + k; }
  int e(int k) const { return blocks * block_size() + K + k; }
  int v(int k) const { return blocks * block_size() + 2 * K + k; }
  int w() const { return blocks * block_size() + 3 * K; }
  int variables() const { return w() + 1; }
};
P4Layout p4_layout(const ScaledModel& model);

// Feasibility phase (the pinned initialisation): maximise sum_k ln(1 + m1 h_k Q_k h_k^H) over (27), (28),
// (29), PSD -- interference ignored, so it is concave and gives every user a beam (a start with
// Q_k = 0, e.g. minimum power, leaves P4's cone data spanning 1e5 and stalls solvers).
// Variables: the blocks, then r_1..r_K. Infeasible exactly when the instance (scheme) is infeasible.
conic::ConicProblem build_feasibility(const ScaledModel& model);

// P4 at an expansion point.
conic::ConicProblem build_p4(const ScaledModel& model, const Expansion& at);

// The blocks of a solution vector (feasibility or P4 layout; both start with the blocks).
Blocks blocks_of(const ScaledModel& model, const Eigen::VectorXd& x);

// The P4 objective sum_k (tau_k - eps_k - u + v_k) in nats, from a P4 solution x.
double p4_objective(const ScaledModel& model, const Expansion& at, const Eigen::VectorXd& x);
// eps_k and u (absolute) from a P4 solution x (the `paper` update of Algorithm 1).
Expansion paper_expansion(const ScaledModel& model, const Expansion& at, const Eigen::VectorXd& x, const Blocks& y);

// A P4 point from blocks and absolute (tau, eps, v, u) values (warm starts, tests).
Eigen::VectorXd p4_point(const ScaledModel& model, const Expansion& at, const Blocks& y,
                         const std::vector<double>& tau, const std::vector<double>& eps,
                         const std::vector<double>& v, double u);

}  // namespace isacbf::model_a
