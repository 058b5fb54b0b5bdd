#pragma once
// Preconditioned conjugate gradients on K = rho_x I + A^T diag(d) A, matrix-free: the engine of the "cg"
// back end (linsys_cg.cpp) and of the CG-first back end (linsys_cg_first.cpp), which also needs each
// solve's step count and a cap on it. Each solve starts from the previous solution (the ADMM's right-hand
// sides change little from one iteration to the next) and stops at a relative residual of kCgTolerance;
// Jacobi preconditioner diag(K).
#include <Eigen/Dense>
#include <Eigen/SparseCore>

namespace isacbf::conic {

inline constexpr double kCgTolerance = 1e-10;  // ||K x - a|| <= this ||a||: the ADMM sees an exact solve

class ConjugateGradient {
 public:
  explicit ConjugateGradient(const Eigen::SparseMatrix<double>& A);
  // K's diagonal scaling and shift; the preconditioner follows.
  void set_operator(const Eigen::VectorXd& d, double rho_x);
  // rhs <- K^{-1} rhs within kCgTolerance, in at most max_steps steps. False when the cap stopped it
  // first (rhs then holds the last iterate, which is also the next warm start).
  bool solve(Eigen::VectorXd& rhs, long long max_steps);
  long long last_steps() const { return last_steps_; }
  // Flops of one step: the products with A and A^T (4 nnz(A)), the scaling by d, and the vector updates.
  double flops_per_step() const;
  const Eigen::SparseMatrix<double>& matrix() const { return A_; }
  const Eigen::VectorXd& scaling() const { return d_; }  // d and rho_x of the last set_operator
  double shift() const { return rho_; }

 private:
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const;

  Eigen::SparseMatrix<double> A_;
  Eigen::VectorXd d_, inv_diag_, last_;
  double rho_ = 0.0;
  long long last_steps_ = 0;
};

}  // namespace isacbf::conic
