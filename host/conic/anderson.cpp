#include "host/conic/anderson.hpp"

#include <cmath>

namespace isacbf::conic {

Anderson::Anderson(Eigen::Index dim, int memory, bool type1, double reg)
    : memory_(memory), type1_(type1), reg_(reg), S_(dim, memory), Y_(dim, memory) {}

void Anderson::reset() {
  count_ = 0;
  next_ = 0;
  have_prev_ = false;
}

bool Anderson::step(const Eigen::VectorXd& w, const Eigen::VectorXd& Tw, Eigen::VectorXd& out) {
  Eigen::VectorXd f = Tw - w;
  if (have_prev_) {
    S_.col(next_) = w - w_prev_;
    Y_.col(next_) = f - f_prev_;
    next_ = (next_ + 1) % memory_;
    if (count_ < memory_) ++count_;
  }
  w_prev_ = w;
  f_prev_ = f;
  have_prev_ = true;
  if (count_ == 0) {
    out = Tw;
    return false;
  }
  const auto S = S_.leftCols(count_);
  const auto Y = Y_.leftCols(count_);
  Eigen::MatrixXd normal = type1_ ? Eigen::MatrixXd(S.transpose() * Y) : Eigen::MatrixXd(Y.transpose() * Y);
  Eigen::VectorXd rhs = type1_ ? Eigen::VectorXd(S.transpose() * f) : Eigen::VectorXd(Y.transpose() * f);
  const double lambda = reg_ * normal.norm();
  normal.diagonal().array() += lambda;
  Eigen::VectorXd gamma = type1_ ? Eigen::VectorXd(normal.fullPivLu().solve(rhs)) : Eigen::VectorXd(normal.ldlt().solve(rhs));
  if (!gamma.allFinite() || gamma.lpNorm<Eigen::Infinity>() > 1e6) {
    reset();
    out = Tw;
    return false;
  }
  out = Tw;
  out.noalias() -= S * gamma;
  out.noalias() -= Y * gamma;
  return true;
}

}  // namespace isacbf::conic
