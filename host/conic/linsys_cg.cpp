// The indirect back end ("cg"): K x = a with K = rho_x I + A^T diag(d) A by conjugate gradients, never
// forming or factoring K (SCS's indirect solver does the same). Each solve starts from the previous
// solution (the ADMM's right-hand sides change little from one iteration to the next) and stops at a
// relative residual of kCgTolerance; Jacobi preconditioner diag(K). Memory: a copy of A and a few
// vectors, whatever the fill a factor would have.
#include <algorithm>
#include <cmath>

#include "host/conic/linsys.hpp"

namespace isacbf::conic {

namespace {

constexpr double kCgTolerance = 1e-10;  // ||K x - a|| <= this ||a||: the ADMM sees an exact solve

class ConjugateGradientSystem final : public LinearSystem {
 public:
  explicit ConjugateGradientSystem(const Eigen::SparseMatrix<double>& A)
      : A_(A), last_(Eigen::VectorXd::Zero(A.cols())) {}

  void factor(const Eigen::VectorXd& d, double rho_x) override {
    d_ = d;
    rho_ = rho_x;
    inv_diag_ = Eigen::VectorXd::Constant(A_.cols(), rho_x);
    for (Eigen::Index j = 0; j < A_.outerSize(); ++j)
      for (Eigen::SparseMatrix<double>::InnerIterator it(A_, j); it; ++it) inv_diag_[j] += d[it.row()] * it.value() * it.value();
    inv_diag_ = inv_diag_.cwiseInverse();
  }

  void solve(Eigen::VectorXd& rhs) const override {
    const double target = kCgTolerance * rhs.norm();
    if (target == 0.0) {  // K x = 0: x = 0 (and no 0/0 from iterating towards it)
      last_.setZero();
      return;
    }
    Eigen::VectorXd x = last_;
    Eigen::VectorXd r = rhs - apply(x);
    if (r.norm() > target) {
      Eigen::VectorXd z = inv_diag_.cwiseProduct(r), p = z, q;
      double rz = r.dot(z);
      const Eigen::Index limit = std::max<Eigen::Index>(100, 10 * A_.cols());
      for (Eigen::Index k = 0; k < limit && r.norm() > target; ++k) {
        q = apply(p);
        const double pq = p.dot(q);
        if (!(pq > 0.0)) break;  // rounding has exhausted the search directions
        const double alpha = rz / pq;
        x += alpha * p;
        r -= alpha * q;
        z = inv_diag_.cwiseProduct(r);
        const double next = r.dot(z);
        if (next == 0.0) break;  // exact solution
        p = z + (next / rz) * p;
        rz = next;
      }
    }
    last_ = x;
    rhs = x;
  }

  std::string name() const override { return "cg"; }
  std::string detail() const override { return "matrix-free, Jacobi preconditioner"; }

 private:
  Eigen::VectorXd apply(const Eigen::VectorXd& x) const {
    return rho_ * x + A_.transpose() * d_.cwiseProduct(A_ * x);
  }

  Eigen::SparseMatrix<double> A_;
  Eigen::VectorXd d_, inv_diag_;
  double rho_ = 0.0;
  mutable Eigen::VectorXd last_;
};

}  // namespace

std::unique_ptr<LinearSystem> make_cg_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<ConjugateGradientSystem>(A);
}

}  // namespace isacbf::conic
