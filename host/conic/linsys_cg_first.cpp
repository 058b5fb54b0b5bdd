// The CG-first back end (LinearSystemPlan::cg_first): conjugate gradients while they stay cheaper than the
// planned factor would have been, and the factor from the first solve on which they do not.
//
// Why measured and not predicted: CG's steps per solve depend on K's conditioning, which the pattern does
// not tell. On random sparse LPs CG needs 20-30 steps a solve and beats a dense factor of n = 2000 by
// 2x and of n = 20,000 by far more; on a banded one it needs 65 and loses to the sparse factor 14x
// (docs/solver.md, "CG first").
//
// The rule: after k solves, CG may have spent (k + kWarmUpSolves) / kSolvesPerFactorisation times the
// plan's work (a factorisation and kSolvesPerFactorisation solves), in flops weighted by kCgFlopCost. A
// solve that would pass that budget is stopped at it, the factor is built and the solve redone with it;
// from then on the factor serves. The wasted CG work is therefore at most the budget: a fraction of the
// factor's own cost while k is small, and never more than the factor path would have spent by then.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "host/conic/linsys.hpp"
#include "host/conic/linsys_cg.hpp"
#include "host/conic/linsys_plan.hpp"

namespace isacbf::conic {

namespace {

// The solves' worth of budget CG starts with: its first solve starts cold, and a scale change can cost a
// few more steps.
constexpr double kWarmUpSolves = 25.0;

class CgFirstSystem final : public LinearSystem {
 public:
  CgFirstSystem(const Eigen::SparseMatrix<double>& A, const LinearSystemPlan& plan)
      : cg_(std::make_unique<ConjugateGradient>(A)), plan_(plan), step_cost_(kCgFlopCost * cg_->flops_per_step()) {}

  void factor(const Eigen::VectorXd& d, double rho_x) override {
    if (factor_) factor_->factor(d, rho_x);
    else cg_->set_operator(d, rho_x);
  }

  void solve(Eigen::VectorXd& rhs) const override {
    if (factor_) {
      factor_->solve(rhs);
      return;
    }
    ++solves_;
    const double budget = (static_cast<double>(solves_) + kWarmUpSolves) / kSolvesPerFactorisation * plan_.work;
    const auto cap = static_cast<long long>(std::clamp((budget - spent_) / step_cost_, 0.0, 1e18));
    const Eigen::VectorXd a = rhs;
    const bool done = cap > 0 && cg_->solve(rhs, cap);
    steps_ += cg_->last_steps();
    spent_ += step_cost_ * static_cast<double>(cg_->last_steps());
    if (done) return;
    switch_to_factor();
    rhs = a;
    factor_->solve(rhs);
  }

  std::string name() const override { return factor_ ? factor_->name() : "cg"; }

  std::string detail() const override {
    char text[200];
    const double per_solve = solves_ > 0 ? static_cast<double>(steps_) / static_cast<double>(solves_) : 0.0;
    if (factor_) {
      std::snprintf(text, sizeof text, ", after %lld cg solves at %.1f steps each", solves_, per_solve);
      return factor_->detail() + text;
    }
    std::snprintf(text, sizeof text, "matrix-free, Jacobi preconditioner; first, before %s", plan_.kind.c_str());
    std::string line = text;
    if (solves_ > 0) {
      std::snprintf(text, sizeof text, "; %lld solves at %.1f steps each", solves_, per_solve);
      line += text;
    }
    return line;
  }

 private:
  // Builds the plan's factor for the current operator; CG's matrix and vectors are released.
  void switch_to_factor() const {
    factor_ = plan_.kind == "dense_llt" ? make_dense_system(cg_->matrix()) : make_sparse_ldlt_system(cg_->matrix());
    factor_->factor(cg_->scaling(), cg_->shift());
    cg_.reset();
  }

  mutable std::unique_ptr<ConjugateGradient> cg_;
  mutable std::unique_ptr<LinearSystem> factor_;
  LinearSystemPlan plan_;
  double step_cost_;
  mutable long long solves_ = 0, steps_ = 0;
  mutable double spent_ = 0.0;
};

}  // namespace

std::unique_ptr<LinearSystem> make_cg_first_system(const Eigen::SparseMatrix<double>& A, const LinearSystemPlan& plan) {
  return std::make_unique<CgFirstSystem>(A, plan);
}

}  // namespace isacbf::conic
