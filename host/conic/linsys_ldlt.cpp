#include <Eigen/SparseCholesky>
#include <vector>

#include "host/common/errors.hpp"
#include "host/conic/linsys.hpp"
#include "host/conic/linsys_plan.hpp"

namespace isacbf::conic {

namespace {

class DenseSystem final : public LinearSystem {
 public:
  explicit DenseSystem(const Eigen::SparseMatrix<double>& A) : rows_(A), n_(A.cols()) { rows_.makeCompressed(); }
  // K = rho_x I + sum_i d_i a_i a_i^T, accumulated row by row into the lower triangle that LLT reads, in
  // the order and with the rounding of Eigen's sparse product (A^T D) A, which this replaces: that product
  // rebuilt its sparsity structure at every factorisation, ~14 % of model A's run time at K = 8 (perf).
  // The same arithmetic keeps every SDPLIB iteration count unchanged.
  void factor(const Eigen::VectorXd& d, double rho_x) override {
    K_.setZero(n_, n_);
    for (Eigen::Index i = 0; i < rows_.outerSize(); ++i) {
      const Eigen::Index begin = rows_.outerIndexPtr()[i], nnz = rows_.outerIndexPtr()[i + 1] - begin;
      const int* col = rows_.innerIndexPtr() + begin;
      const double* val = rows_.valuePtr() + begin;
      for (Eigen::Index q = 0; q < nnz; ++q) {  // inner indices are sorted: col[p] >= col[q] for p >= q
        double* kcol = K_.col(col[q]).data();
        for (Eigen::Index p = q; p < nnz; ++p) kcol[col[p]] += (val[p] * d[i]) * val[q];
      }
    }
    K_.diagonal().array() += rho_x;
    llt_.compute(K_);
  }
  void solve(Eigen::VectorXd& rhs) const override { rhs = llt_.solve(rhs); }
  std::string name() const override { return "dense_llt"; }
  std::string detail() const override { return "K " + std::to_string(n_) + " x " + std::to_string(n_); }

 private:
  Eigen::SparseMatrix<double, Eigen::RowMajor> rows_;
  Eigen::Index n_;
  Eigen::MatrixXd K_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
};

// Quasi-definite KKT form (as SCS's direct solver): [[rho_x I, A^T], [A, -diag(r_y)]] [x; y] = [a; 0]
// gives y = d o (A x) and (rho_x I + A^T D A) x = a, without forming A^T D A (stays sparse when A
// has dense rows). LDL^T without pivoting is stable for quasi-definite matrices; AMD ordering.
class SparseLdltSystem final : public LinearSystem {
 public:
  explicit SparseLdltSystem(const Eigen::SparseMatrix<double>& A) : A_(A), n_(A.cols()), m_(A.rows()) {}
  void factor(const Eigen::VectorXd& d, double rho_x) override {
    const Eigen::SparseMatrix<double> K = kkt_lower(A_, d, rho_x);
    if (!analysed_) {
      ldlt_.analyzePattern(K);
      analysed_ = true;
    }
    ldlt_.factorize(K);
    if (ldlt_.info() != Eigen::Success) throw std::runtime_error("sparse LDLT factorisation failed");
  }
  void solve(Eigen::VectorXd& rhs) const override {
    Eigen::VectorXd full = Eigen::VectorXd::Zero(n_ + m_);
    full.head(n_) = rhs;
    rhs = ldlt_.solve(full).head(n_);
  }
  std::string name() const override { return "sparse_ldlt"; }
  std::string detail() const override {
    return analysed_ ? "L " + std::to_string(ldlt_.matrixL().nestedExpression().nonZeros()) + " entries" : "";
  }

 private:
  Eigen::SparseMatrix<double> A_;
  Eigen::Index n_, m_;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt_;
  bool analysed_ = false;
};

}  // namespace

Eigen::SparseMatrix<double> kkt_lower(const Eigen::SparseMatrix<double>& A, const Eigen::VectorXd& d, double rho_x) {
  const Eigen::Index n = A.cols(), m = A.rows();
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(static_cast<std::size_t>(A.nonZeros() + n + m));
  for (Eigen::Index j = 0; j < n; ++j) t.emplace_back(j, j, rho_x);
  for (Eigen::Index j = 0; j < A.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(A, j); it; ++it)
      t.emplace_back(n + it.row(), j, it.value());  // lower triangle: A below the (1,1) block
  for (Eigen::Index i = 0; i < m; ++i) t.emplace_back(n + i, n + i, -1.0 / d[i]);
  Eigen::SparseMatrix<double> K(n + m, n + m);
  K.setFromTriplets(t.begin(), t.end());
  return K;
}

std::unique_ptr<LinearSystem> make_dense_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<DenseSystem>(A);
}
std::unique_ptr<LinearSystem> make_sparse_ldlt_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<SparseLdltSystem>(A);
}

std::unique_ptr<LinearSystem> make_linear_system(const Eigen::SparseMatrix<double>& A, const std::string& force,
                                                 double memory_bytes) {
  const LinearSystemPlan plan = plan_linear_system(A, force, memory_bytes);
  if (plan.cg_first) return make_cg_first_system(A, plan);
  if (plan.kind == "woodbury") return make_woodbury_system(A);
  if (plan.kind == "dense_llt") return make_dense_system(A);
  if (plan.kind == "cg") return make_cg_system(A);
  return make_sparse_ldlt_system(A);
}

}  // namespace isacbf::conic
