#include <Eigen/SparseCholesky>

#include "host/common/errors.hpp"
#include "host/conic/linsys.hpp"

namespace isacbf::conic {

namespace {

class DenseSystem final : public LinearSystem {
 public:
  explicit DenseSystem(const Eigen::SparseMatrix<double>& A) : A_(A) {}
  void factor(const Eigen::VectorXd& d, double rho_x) override {
    Eigen::SparseMatrix<double> AtDA = A_.transpose() * d.asDiagonal() * A_;
    Eigen::MatrixXd K = Eigen::MatrixXd(AtDA);
    K.diagonal().array() += rho_x;
    llt_.compute(K);
  }
  void solve(Eigen::VectorXd& rhs) const override { rhs = llt_.solve(rhs); }
  std::string name() const override { return "dense_llt"; }

 private:
  Eigen::SparseMatrix<double> A_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
};

class SparseLdltSystem final : public LinearSystem {
 public:
  explicit SparseLdltSystem(const Eigen::SparseMatrix<double>& A) : A_(A) {}
  void factor(const Eigen::VectorXd& d, double rho_x) override {
    Eigen::SparseMatrix<double> K = A_.transpose() * d.asDiagonal() * A_;
    Eigen::SparseMatrix<double> I(K.rows(), K.cols());
    I.setIdentity();
    K += rho_x * I;
    if (!analysed_) {
      ldlt_.analyzePattern(K);
      analysed_ = true;
    }
    ldlt_.factorize(K);
    if (ldlt_.info() != Eigen::Success) throw std::runtime_error("sparse LDLT factorisation failed");
  }
  void solve(Eigen::VectorXd& rhs) const override { rhs = ldlt_.solve(rhs); }
  std::string name() const override { return "sparse_ldlt"; }

 private:
  Eigen::SparseMatrix<double> A_;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt_;
  bool analysed_ = false;
};

}  // namespace

std::unique_ptr<LinearSystem> make_dense_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<DenseSystem>(A);
}
std::unique_ptr<LinearSystem> make_sparse_ldlt_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<SparseLdltSystem>(A);
}

std::unique_ptr<LinearSystem> make_linear_system(const Eigen::SparseMatrix<double>& A, const std::string& force) {
  if (force == "dense_llt") return make_dense_system(A);
  if (force == "sparse_ldlt") return make_sparse_ldlt_system(A);
  if (!force.empty() && force != "woodbury") throw InputError("linear_solver", "unknown back end '" + force + "'");
  if (auto w = make_woodbury_system(A)) return w;
  const auto n = A.cols();
  // pattern of A^T A: estimate its density
  Eigen::SparseMatrix<double> pattern = A.transpose() * A;
  const double density = static_cast<double>(pattern.nonZeros()) / (static_cast<double>(n) * static_cast<double>(n));
  if (n <= 1500 || (n <= 4000 && density > 0.1)) return make_dense_system(A);
  return make_sparse_ldlt_system(A);
}

}  // namespace isacbf::conic
