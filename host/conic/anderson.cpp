#include "host/conic/anderson.hpp"

#include <algorithm>

namespace isacbf::conic {

namespace kn = isacbf::kernels;

Anderson::Anderson(Eigen::Index dim, int memory, bool type1, double reg, double safeguard, bool reset_on_reject)
    : memory_(memory),
      type1_(type1),
      reg_(reg),
      safeguard_(safeguard),
      reset_on_reject_(reset_on_reject),
      S_(dim, memory),
      Y_(dim, memory) {}

void Anderson::restart() { kn::anderson_restart(state_); }

bool Anderson::undo_if_rejected(double fnorm, Eigen::VectorXd& w) {
  if (!kn::anderson_rejects(state_, fnorm, safeguard_)) return false;
  w = tw_saved_;
  kn::anderson_on_reject(state_, reset_on_reject_);
  return true;
}

void Anderson::advance(int k, int interval, const Eigen::VectorXd& Tw, double fnorm, Eigen::VectorXd& w) {
  if (k % std::max(1, interval) == 0) {
    step(w, Tw, fnorm, w_next_);
    tw_saved_ = Tw;
    w.swap(w_next_);
  } else {
    state_.last_was_aa = 0;  // a plain step
    w = Tw;
  }
}

bool Anderson::step(const Eigen::VectorXd& w, const Eigen::VectorXd& Tw, double fnorm, Eigen::VectorXd& out) {
  Eigen::VectorXd f = Tw - w;
  if (state_.have_prev) {
    const int j = kn::anderson_push(state_, memory_);
    S_.col(j) = w - w_prev_;
    Y_.col(j) = f - f_prev_;
  }
  w_prev_ = w;
  f_prev_ = f;
  state_.have_prev = 1;
  state_.fnorm_prev = fnorm;
  state_.last_was_aa = 0;
  out = Tw;
  const int count = state_.count;
  if (count == 0) return false;
  // The normal matrix formed whole and solved by Eigen (LDL^T / full-pivoting LU), not by the device's
  // slot-by-slot kn::anderson_gram_set and kn::anderson_coefficients: the two agree to rounding
  // (tests/test_anderson_kernels.cpp), but on SDPLIB's hinf problems a rounding-level change here moves
  // iteration counts both ways (docs/solver.md, "Anderson acceleration", "On the GPU"), and the CPU's
  // published tables were measured with this one.
  const auto S = S_.leftCols(count);
  const auto Y = Y_.leftCols(count);
  Eigen::MatrixXd normal = type1_ ? Eigen::MatrixXd(S.transpose() * Y) : Eigen::MatrixXd(Y.transpose() * Y);
  const Eigen::VectorXd rhs = type1_ ? Eigen::VectorXd(S.transpose() * f) : Eigen::VectorXd(Y.transpose() * f);
  normal.diagonal().array() += reg_ * normal.norm();
  const Eigen::VectorXd gamma =
      type1_ ? Eigen::VectorXd(normal.fullPivLu().solve(rhs)) : Eigen::VectorXd(normal.ldlt().solve(rhs));
  if (!gamma.allFinite() || gamma.lpNorm<Eigen::Infinity>() > kn::kAndersonMaxCoefficient) {
    kn::anderson_reset(state_);
    return false;
  }
  out.noalias() -= S * gamma;
  out.noalias() -= Y * gamma;
  state_.last_was_aa = 1;
  ++state_.accepted;
  return true;
}

}  // namespace isacbf::conic
