#pragma once
// The linear system of the ADMM step. With R = diag(rho_x I, r_y, r_tau) the (x, y) block of
// (R + M) is M0 = [[rho_x I, A^T], [-A, diag(r_y)]]; eliminating y leaves the SPD system
//     K x = a,   K = rho_x I + A^T diag(d) A,   d = 1 / r_y,
// which every back end below factors (and refactors when the scale changes):
//   "woodbury"    every column of A owns at least one single-nonzero row and the rows with two or
//                 more non-zeros are few (r <= n/4): K = Delta + U U^T, Delta diagonal, solved by
//                 Woodbury with an r x r Cholesky.
//   "dense_llt"   n <= 300, or K is dense enough (nnz(K) > 10% of n^2) and n <= 4000, or the sparse
//                 factor's fill makes it dearer (linsys_plan.hpp): dense Cholesky.
//   "sparse_ldlt" otherwise: Eigen SimplicialLDLT (AMD ordering) of the quasi-definite KKT matrix
//                 [[rho_x I, A^T], [A, -diag(r_y)]] (K is never formed).
//   "cg"          when neither factor fits the machine's memory: preconditioned conjugate gradients on K,
//                 matrix-free, warm-started from the previous solve (linsys_cg.cpp).
// A dense or sparse factor that is dear to build comes after CG (linsys_cg_first.cpp): it is built only
// once CG has cost more than it would have; name() says which one serves.
// The choice is plan_linear_system (linsys_plan.hpp), which the memory estimate shares.
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace isacbf::conic {

class LinearSystem {
 public:
  virtual ~LinearSystem() = default;
  virtual void factor(const Eigen::VectorXd& d, double rho_x) = 0;
  virtual void solve(Eigen::VectorXd& rhs) const = 0;  // rhs <- K^{-1} rhs
  virtual std::string name() const = 0;
  // What the back end holds after factor(), for the progress log: "K 300 x 300", "L 1.4e+05 entries", ...
  virtual std::string detail() const = 0;
};

// force: "" (automatic), "woodbury", "dense_llt", "sparse_ldlt" or "cg" (woodbury falls back to the
// automatic choice when the structure does not allow it).
// memory_bytes: what the factor may take (0: the machine's memory; linsys_plan.hpp).
std::unique_ptr<LinearSystem> make_linear_system(const Eigen::SparseMatrix<double>& A, const std::string& force = "",
                                                 double memory_bytes = 0.0);

// The rows that make A a Woodbury system: single-nonzero rows covering every column, and the others
// (at most n/4 and 2000); nullopt when A does not have that structure.
struct WoodburyRows {
  struct Single {
    int row, col;
    double a;
  };
  std::vector<Single> singles;
  std::vector<int> dense;
};
std::optional<WoodburyRows> woodbury_rows(const Eigen::SparseMatrix<double>& A);

std::unique_ptr<LinearSystem> make_woodbury_system(const Eigen::SparseMatrix<double>& A);  // nullptr if not applicable
std::unique_ptr<LinearSystem> make_dense_system(const Eigen::SparseMatrix<double>& A);
// The lower triangle of the quasi-definite KKT matrix [[rho_x I, A^T], [A, -diag(1/d)]] that
// sparse_ldlt factors.
Eigen::SparseMatrix<double> kkt_lower(const Eigen::SparseMatrix<double>& A, const Eigen::VectorXd& d, double rho_x);
std::unique_ptr<LinearSystem> make_sparse_ldlt_system(const Eigen::SparseMatrix<double>& A);
std::unique_ptr<LinearSystem> make_cg_system(const Eigen::SparseMatrix<double>& A);  // linsys_cg.cpp
// Conjugate gradients until they cost more than plan's factor would have, then that factor
// (linsys_cg_first.cpp); plan.kind is "dense_llt" or "sparse_ldlt".
struct LinearSystemPlan;
std::unique_ptr<LinearSystem> make_cg_first_system(const Eigen::SparseMatrix<double>& A, const LinearSystemPlan& plan);

}  // namespace isacbf::conic
