#pragma once
// Which back end of the x-system (linsys.hpp) a problem gets, and what its factor will cost, decided from
// the pattern of A alone (equilibration scales values, not the pattern). make_linear_system builds the
// plan's back end and the memory estimate (memory_estimate.hpp) counts the plan's factor, so the two agree.
// Each path is taken only where its factor fits the memory given (Settings::memory_limit_gb; by default the
// machine's), and otherwise the next one is tried:
//   woodbury     every column owns a single-nonzero row and the other rows are few (linsys.hpp);
//   dense_llt    n <= 300; or n <= 4000 with A^T A denser than 10 %; or the sparse factor's symbolic
//                analysis predicts more work than the dense path (the flop costs below, measured);
//   sparse_ldlt  otherwise (where only one of the two factors fits the memory, that one);
//   cg           when neither the dense K nor L fits the memory (or forced): matrix-free
//                conjugate gradients (linsys_cg.cpp), no factor.
// In the automatic choice, a dense or sparse factor predicted to cost more than kCgFirstWork is built only
// if conjugate gradients turn out dearer on the problem itself (cg_first, linsys_cg_first.cpp): CG's steps
// per solve depend on K's conditioning, which the pattern does not tell.
// The sparse prediction runs the AMD ordering and the symbolic factorisation of the quasi-definite KKT
// matrix (what SimplicialLDLT::analyzePattern does), O(nnz(L)).
#include <Eigen/SparseCore>
#include <string>

namespace isacbf::conic {

struct LinearSystemPlan {
  std::string kind;           // "woodbury", "dense_llt", "sparse_ldlt" or "cg"
  double factor_bytes = 0.0;  // what the back end holds besides A: the dense K and its Cholesky, or the
                              // KKT matrix and L, or Woodbury's U and its r x r factor
  double factor_nonzeros = 0.0;  // stored entries of the factor (sparse_ldlt: nnz(L) by symbolic analysis)
  double dense_rows = 0.0;       // woodbury: rows with two or more entries (r)
  // A factorisation and kSolvesPerFactorisation solves, in flops of the dense path (the sparse path's
  // weighted by the costs below); 0 for cg.
  double work = 0.0;
  // Start with conjugate gradients and build this plan's factor only once CG has cost more than it would
  // have (automatic choice with work > kCgFirstWork).
  bool cg_first = false;
};

// The factor of the sparse_ldlt back end (the KKT matrix of A under its AMD ordering), by symbolic analysis
// alone: L is never allocated, and the count stops once nnz(L) passes `limit`.
struct SymbolicFactor {
  double nonzeros = 0.0;  // nnz(L) without the unit diagonal
  double factor_flops = 0.0, solve_flops = 0.0;
  bool complete = true;  // false: the count stopped at its limit, and the numbers are lower bounds
};
SymbolicFactor symbolic_ldlt(const Eigen::SparseMatrix<double>& A, double limit = 1e300);

// force: "" (automatic), "woodbury" (the automatic choice when A's structure does not allow it),
// "dense_llt", "sparse_ldlt" or "cg"; anything else is InputError("linear_solver"). memory_bytes: what a
// factor may take (0: the machine's physical memory).
LinearSystemPlan plan_linear_system(const Eigen::SparseMatrix<double>& A, const std::string& force = "",
                                    double memory_bytes = 0.0);

// The cost of one flop of Eigen's simplicial sparse LDL^T relative to one of the dense path (blocked
// Cholesky; triangular solves), measured on this machine (docs/solver.md, "Dense or sparse x-system"):
// 4.5-12x in the factorisation, 2.6-4x in the solves. A run refactors at each scale change, about every
// few hundred iterations, so one factorisation is weighed against kSolvesPerFactorisation solves.
inline constexpr double kSparseFactorFlopCost = 10.0;
inline constexpr double kSparseSolveFlopCost = 3.0;
inline constexpr double kSolvesPerFactorisation = 100.0;
// One flop of a CG step (sparse products with A and A^T, vector updates) relative to one of the dense path,
// measured on this machine (docs/solver.md, "CG first"); and the predicted factor work above which CG is
// tried first: below it the factor costs well under a second, and a CG probe could not save much.
inline constexpr double kCgFlopCost = 4.0;
inline constexpr double kCgFirstWork = 1e9;

}  // namespace isacbf::conic
