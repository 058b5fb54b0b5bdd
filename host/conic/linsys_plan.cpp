#include "host/conic/linsys_plan.hpp"

#include <Eigen/OrderingMethods>
#include <algorithm>
#include <cmath>
#include <vector>

#include "host/common/errors.hpp"
#include "host/conic/linsys.hpp"
#include "host/conic/memory_estimate.hpp"

namespace isacbf::conic {

namespace {

using SpMat = Eigen::SparseMatrix<double>;

// The cost of L (entries strictly below the diagonal) for the symmetric pattern held by `upper` (its upper
// triangle, already ordered): the elimination-tree walk of the LDL^T symbolic phase (as in Davis's LDL and
// Eigen's SimplicialLDLT::analyzePattern), O(nnz(L)) time and O(n) memory. L itself is never allocated,
// and the walk stops once nnz(L) passes `limit`, so a factor too large for the machine or dearer than
// the dense path costs neither the memory nor the time of its own size.
SymbolicFactor factor_cost(const SpMat& upper, double limit) {
  const Eigen::Index size = upper.cols();
  std::vector<Eigen::Index> parent(static_cast<std::size_t>(size), -1), flag(static_cast<std::size_t>(size), 0);
  std::vector<double> count(static_cast<std::size_t>(size), 0.0);
  SymbolicFactor cost;
  double total = 0.0;
  for (Eigen::Index k = 0; k < size; ++k) {
    flag[k] = k;
    for (SpMat::InnerIterator it(upper, k); it; ++it) {
      for (Eigen::Index i = it.index(); i < k && flag[i] != k; i = parent[i]) {
        if (parent[i] == -1) parent[i] = k;
        count[i] += 1.0;  // L(k, i) is nonzero
        total += 1.0;
        flag[i] = k;
      }
    }
    if (total > limit) {
      cost.complete = false;
      break;
    }
  }
  for (const double c : count) {
    cost.nonzeros += c;
    cost.factor_flops += c * c;  // column j updates c^2 / 2 entries, a multiply and an add each
  }
  cost.solve_flops = 4.0 * cost.nonzeros;  // forward and back substitution
  return cost;
}

double density_of_normal_matrix(const SpMat& A) {
  const double n = static_cast<double>(A.cols());
  const SpMat pattern = A.transpose() * A;
  return static_cast<double>(pattern.nonZeros()) / (n * n);
}

// A factorisation (n^3/3 flops) and kSolvesPerFactorisation solves (2 n^2 each).
double dense_work(double n) { return n * n * n / 3.0 + kSolvesPerFactorisation * 2.0 * n * n; }

LinearSystemPlan dense_plan(const SpMat& A) {
  const double n = static_cast<double>(A.cols());
  return {"dense_llt", 16.0 * n * n, n * (n + 1.0) / 2.0, 0.0, dense_work(n)};  // K and its Cholesky factor
}

LinearSystemPlan sparse_plan(const SpMat& A, const SymbolicFactor& cost) {
  const double kkt = static_cast<double>(A.nonZeros() + A.rows() + A.cols());
  const double work = kSparseFactorFlopCost * cost.factor_flops + kSparseSolveFlopCost * kSolvesPerFactorisation * cost.solve_flops;
  // the KKT matrix, its permuted copy inside the factorisation, and L (8-byte values, 4-byte indices)
  return {"sparse_ldlt", 12.0 * (2.0 * kkt + cost.nonzeros), cost.nonzeros, 0.0, work};
}

double cg_bytes(const SpMat& A) {
  // a copy of A and six vectors of length n (the preconditioner, the warm start, CG's own)
  return 12.0 * static_cast<double>(A.nonZeros()) + 8.0 * 6.0 * static_cast<double>(A.cols());
}

LinearSystemPlan cg_plan(const SpMat& A) { return {"cg", cg_bytes(A), 0.0, 0.0, 0.0}; }

// The automatic choice's factor, tried after CG when it is dear (LinearSystemPlan::cg_first); the
// back end may hold both.
LinearSystemPlan automatic_plan(const SpMat& A, LinearSystemPlan plan) {
  if ((plan.kind == "dense_llt" || plan.kind == "sparse_ldlt") && plan.work > kCgFirstWork) {
    plan.cg_first = true;
    plan.factor_bytes += cg_bytes(A);
  }
  return plan;
}

}  // namespace

SymbolicFactor symbolic_ldlt(const SpMat& A, double limit) {
  const SpMat lower = kkt_lower(A, Eigen::VectorXd::Ones(A.rows()), 1.0);
  const SpMat full = lower.selfadjointView<Eigen::Lower>();
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> inverse;
  Eigen::AMDOrdering<int>()(full, inverse);
  const Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> order = inverse.inverse();
  SpMat upper(full.rows(), full.cols());
  upper.selfadjointView<Eigen::Upper>() = lower.selfadjointView<Eigen::Lower>().twistedBy(order);
  return factor_cost(upper, limit);
}

LinearSystemPlan plan_linear_system(const SpMat& A, const std::string& force, double memory_bytes) {
  if (!force.empty() && force != "woodbury" && force != "dense_llt" && force != "sparse_ldlt" && force != "cg")
    throw InputError("linear_solver", "unknown back end '" + force + "'");
  const double n = static_cast<double>(A.cols());
  if (force == "cg") return cg_plan(A);
  const bool automatic = force.empty() || force == "woodbury";  // woodbury falls back to the automatic choice
  if (force == "dense_llt") return dense_plan(A);
  const double machine = physical_memory_bytes() > 0.0 ? physical_memory_bytes() : 1e300;
  const double memory = memory_bytes > 0.0 ? memory_bytes : machine;
  if (force != "sparse_ldlt") {
    if (const auto rows = woodbury_rows(A)) {
      const double r = static_cast<double>(rows->dense.size());
      // U0, U, the capacitance matrix and its factor
      const LinearSystemPlan woodbury{"woodbury", 8.0 * (2.0 * n * r + 2.0 * r * r + n), n * r, r};
      if (woodbury.factor_bytes <= memory) return woodbury;
    }
  }
  const LinearSystemPlan dense = dense_plan(A);
  const bool dense_fits = dense.factor_bytes <= memory;
  if (automatic && dense_fits && (n <= 300 || (n <= 4000 && density_of_normal_matrix(A) > 0.1)))
    return automatic_plan(A, dense);
  // Dense when the sparse factor would cost more (LinearSystemPlan::work, each flop of the sparse path
  // weighted by its measured cost). The symbolic count stops once L passes the memory (then only CG fits, or dense) and, in the
  // automatic choice with a dense path that fits, once the sparse factorisation alone must cost more than
  // the dense path: sum c_j^2 >= (sum c_j)^2 / size.
  const double size = static_cast<double>(A.rows() + A.cols());
  double limit = memory / 12.0;
  if (automatic && dense_fits) limit = std::min(limit, std::sqrt(size * dense.work / kSparseFactorFlopCost));
  const SymbolicFactor sparse = symbolic_ldlt(A, limit);
  const LinearSystemPlan sparse_path = sparse_plan(A, sparse);
  if (force == "sparse_ldlt") return sparse_path;
  // stopped early: dearer than a dense path that fits, or L beyond the memory
  if (!sparse.complete) return dense_fits ? automatic_plan(A, dense) : cg_plan(A);
  const bool sparse_fits = sparse_path.factor_bytes <= memory;
  if (!dense_fits && !sparse_fits) return cg_plan(A);
  if (dense_fits != sparse_fits) return automatic_plan(A, dense_fits ? dense : sparse_path);  // what fits the machine
  return automatic_plan(A, sparse_path.work > dense.work ? dense : sparse_path);
}

}  // namespace isacbf::conic
