// The indirect back end ("cg"): K x = a by conjugate gradients, never forming or factoring K (SCS's
// indirect solver does the same). Memory: a copy of A and a few vectors, whatever the fill a factor would
// have.
#include "host/conic/linsys_cg.hpp"

#include <algorithm>
#include <cmath>

#include "host/conic/linsys.hpp"

namespace isacbf::conic {

ConjugateGradient::ConjugateGradient(const Eigen::SparseMatrix<double>& A) : A_(A), last_(Eigen::VectorXd::Zero(A.cols())) {}

void ConjugateGradient::set_operator(const Eigen::VectorXd& d, double rho_x) {
  d_ = d;
  rho_ = rho_x;
  inv_diag_ = Eigen::VectorXd::Constant(A_.cols(), rho_x);
  for (Eigen::Index j = 0; j < A_.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(A_, j); it; ++it) inv_diag_[j] += d[it.row()] * it.value() * it.value();
  inv_diag_ = inv_diag_.cwiseInverse();
}

double ConjugateGradient::flops_per_step() const {
  return 4.0 * static_cast<double>(A_.nonZeros()) + static_cast<double>(A_.rows()) + 12.0 * static_cast<double>(A_.cols());
}

Eigen::VectorXd ConjugateGradient::apply(const Eigen::VectorXd& x) const {
  return rho_ * x + A_.transpose() * d_.cwiseProduct(A_ * x);
}

bool ConjugateGradient::solve(Eigen::VectorXd& rhs, long long max_steps) {
  last_steps_ = 0;
  const double target = kCgTolerance * rhs.norm();
  if (target == 0.0) {  // K x = 0: x = 0 (and no 0/0 from iterating towards it)
    last_.setZero();
    return true;
  }
  Eigen::VectorXd x = last_;
  Eigen::VectorXd r = rhs - apply(x);
  if (r.norm() > target) {
    Eigen::VectorXd z = inv_diag_.cwiseProduct(r), p = z, q;
    double rz = r.dot(z);
    while (r.norm() > target) {
      if (last_steps_ >= max_steps) {
        last_ = rhs = x;
        return false;
      }
      q = apply(p);
      ++last_steps_;
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
  return true;
}

namespace {

class ConjugateGradientSystem final : public LinearSystem {
 public:
  explicit ConjugateGradientSystem(const Eigen::SparseMatrix<double>& A) : cg_(A) {}
  void factor(const Eigen::VectorXd& d, double rho_x) override { cg_.set_operator(d, rho_x); }
  void solve(Eigen::VectorXd& rhs) const override {
    const auto n = static_cast<long long>(cg_.matrix().cols());
    cg_.solve(rhs, std::max(100LL, 10 * n));  // at the cap, the best iterate so far
  }
  std::string name() const override { return "cg"; }
  std::string detail() const override { return "matrix-free, Jacobi preconditioner"; }

 private:
  mutable ConjugateGradient cg_;
};

}  // namespace

std::unique_ptr<LinearSystem> make_cg_system(const Eigen::SparseMatrix<double>& A) {
  return std::make_unique<ConjugateGradientSystem>(A);
}

}  // namespace isacbf::conic
