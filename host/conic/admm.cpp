#include "host/conic/admm.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "host/conic/anderson.hpp"
#include "host/conic/cone_projector.hpp"
#include "host/conic/equilibration.hpp"
#include "host/conic/initial_scale.hpp"
#include "host/conic/linsys.hpp"
#include "host/conic/progress_log.hpp"
#include "kernels/adaptive_scale.hpp"
#include "kernels/admm_step.hpp"

namespace isacbf::conic {

namespace kn = isacbf::kernels;
using Eigen::VectorXd;

namespace {

using kn::kRtau;

double inf_norm(const VectorXd& v) { return v.size() ? v.lpNorm<Eigen::Infinity>() : 0.0; }

// ||y|| / ||s|| of the equilibrated iterate (tau cancels): the balance floor's guide, computed only when the
// floor is on
double balance(const Eigen::Ref<const VectorXd>& y, const Eigen::Ref<const VectorXd>& s) {
  return y.norm() / std::max(s.norm(), 1e-300);
}

// Unscaled quantities of one (u, v) pair of the embedding.
struct Evaluation {
  bool have_point = false;  // tau > 0
  VectorXd x, y, s;
  double pri = 0, dual = 0, gap = 0, cx = 0, by = 0;
  double eps_pri = 0, eps_dual = 0, eps_gap = 0;
  bool optimal = false;
  bool infeasible = false, unbounded = false;
  VectorXd cert_y, cert_x, cert_s;
};

}  // namespace

Solution solve_admm(const ConicProblem& prob, const Settings& st, const WarmStart& warm, int instance) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  Solution sol;
  ProgressLog progress(st.verbose, instance);
  const Eigen::Index n = prob.A.cols(), m = prob.A.rows(), nm = n + m, l = n + m + 1;

  // ---- setup: equilibration, cones, linear system
  const auto blocks = cone_blocks(prob.cones);
  Equilibration eq = ruiz_equilibrate(prob.A, blocks, st.equilibration_passes, st.equilibration_l2_pass, psd_scaling(st));
  Eigen::SparseMatrix<double> Ah;
  VectorXd bh, ch;
  apply_equilibration(eq, prob.A, prob.b, prob.c, Ah, bh, ch, st.normalize_bc);
  const Eigen::SparseMatrix<double> Aht = Ah.transpose();
  const Eigen::SparseMatrix<double> At = prob.A.transpose();
  ConeProjector proj(prob.cones, st.eig_threshold, psd_method_from_string(st.psd_method));
  std::unique_ptr<LinearSystem> lin;
  try {
    lin = make_linear_system(Ah, st.linear_solver, st.memory_limit_gb * 1e9);
  } catch (const std::exception& e) {
    sol.status = Status::numerical_error;
    sol.message = std::string("linear system: ") + e.what();
    progress.outcome(sol);
    return sol;
  }
  sol.linear_solver = lin->name();
  progress.header(prob, st, sol.linear_solver);

  VectorXd r(l), dy(m), h(nm), g(nm);
  h << ch, bh;
  double hg = 0.0;
  kn::AdaptiveScale adapt;
  adapt.scale = initial_scale(st.scale, bh, ch);
  const kn::ScaleRule rule = scale_rule(st);
  auto set_scale = [&](double sc) {
    kn::metric_diagonal(static_cast<int>(n), static_cast<int>(m), prob.cones.zero, st.rho_x, sc, r.data());
    dy = r.segment(n, m).cwiseInverse();
    lin->factor(dy, st.rho_x);
    // g = M0^{-1} h:  K gx = c - A^T (d o b),  gy = d o (b + A gx)
    VectorXd gx = ch - Aht * dy.cwiseProduct(bh);
    lin->solve(gx);
    VectorXd gy = dy.cwiseProduct(bh + Ah * gx);
    g << gx, gy;
    hg = h.dot(g);
  };
  try {
    set_scale(adapt.scale);
  } catch (const std::exception& e) {
    sol.status = Status::numerical_error;
    sol.message = std::string("factorisation: ") + e.what();
    progress.outcome(sol);
    return sol;
  }
  sol.linear_solver = lin->name();  // CG first may have built its factor already (linsys.hpp)
  progress.factored(sol.linear_solver, lin->detail(), elapsed());

  // ---- iterates
  VectorXd w = VectorXd::Zero(l), Tw(l), ut(l), u(l), v(l), px(n), Ax(m);
  w[nm] = 1.0;
  if (warm.x.size() == n) {
    w.head(n) = eq.sigma_b * warm.x.cwiseQuotient(eq.E);
    VectorXd s = warm.s.size() == m ? warm.s : VectorXd(prob.b - prob.A * warm.x);
    if (warm.s.size() != m) proj.project_primal(s.data());
    VectorXd y = warm.y.size() == m ? warm.y : VectorXd::Zero(m);
    const VectorXd sh = eq.sigma_b * eq.D.cwiseProduct(s);
    w.segment(n, m) = eq.sigma_c * y.cwiseQuotient(eq.D) + sh.cwiseQuotient(r.segment(n, m));
  }

  // one application of the DR operator: w -> Tw (also fills ut, u, v)
  auto apply_T = [&](const VectorXd& win) {
    px = st.rho_x * win.head(n) - Aht * win.segment(n, m);
    lin->solve(px);
    ut.head(n) = px;
    ut.segment(n, m) = win.segment(n, m) + dy.cwiseProduct(Ah * px);
    ut[nm] = kn::admm_tau_combine(static_cast<int>(nm), h.data(), g.data(), hg, kRtau, win[nm], ut.data());
    kn::admm_reflect(static_cast<int>(l), ut.data(), win.data(), u.data());
    proj.project_dual(u.data() + n);
    kn::admm_project_tau(u.data() + nm);
    Tw = win;
    kn::admm_relax_update(static_cast<int>(l), r.data(), st.alpha, u.data(), ut.data(), Tw.data(), v.data());
  };

  // residuals and certificates of (u, v), unscaled
  auto evaluate = [&](Evaluation& ev) {
    const double tau = u[nm];
    VectorXd xh = eq.E.cwiseProduct(u.head(n)) / eq.sigma_b;
    VectorXd yh = eq.D.cwiseProduct(u.segment(n, m)) / eq.sigma_c;
    VectorXd sh = v.segment(n, m).cwiseQuotient(eq.D) / eq.sigma_b;
    ev.have_point = tau > 0.0;
    if (ev.have_point) {
      ev.x = xh / tau;
      ev.y = yh / tau;
      ev.s = sh / tau;
      const VectorXd ax = prob.A * ev.x;
      const VectorXd aty = At * ev.y;
      ev.pri = inf_norm(ax + ev.s - prob.b);
      ev.dual = inf_norm(aty + prob.c);
      ev.cx = prob.c.dot(ev.x);
      ev.by = prob.b.dot(ev.y);
      ev.gap = std::fabs(ev.cx + ev.by);
      // SCS 3's relative scale max(|Ax|, |s|, |b|) (resp. max(|A^T y|, |c|)), capped at norm_cap times
      // max(|b|, 1) (resp. max(|c|, 1)) so that iterates whose norms blow up (hinf) cannot pass the test
      // with a large absolute residual (docs/solver.md, "Termination")
      double pscale = std::max({inf_norm(ax), inf_norm(ev.s), inf_norm(prob.b)});
      double dscale = std::max(inf_norm(aty), inf_norm(prob.c));
      if (st.norm_cap > 0.0) {
        pscale = std::min(pscale, st.norm_cap * std::max(inf_norm(prob.b), 1.0));
        dscale = std::min(dscale, st.norm_cap * std::max(inf_norm(prob.c), 1.0));
      }
      ev.eps_pri = st.eps_abs + st.eps_rel * pscale;
      ev.eps_dual = st.eps_abs + st.eps_rel * dscale;
      ev.eps_gap = st.eps_abs + st.eps_rel * std::max(std::fabs(ev.cx), std::fabs(ev.by));
      ev.optimal = ev.pri <= ev.eps_pri && ev.dual <= ev.eps_dual && ev.gap <= ev.eps_gap;
    }
    ev.infeasible = ev.unbounded = false;
    const double byh = prob.b.dot(yh);
    if (byh < 0.0) {
      const double res = inf_norm(At * yh);
      if (res < st.eps_infeas * (-byh)) {
        ev.infeasible = true;
        ev.cert_y = yh / (-byh);
      }
    }
    const double cxh = prob.c.dot(xh);
    if (cxh < 0.0) {
      const double res = inf_norm(prob.A * xh + sh);
      if (res < st.eps_infeas * (-cxh)) {
        ev.unbounded = true;
        ev.cert_x = xh / (-cxh);
        ev.cert_s = sh / (-cxh);
      }
    }
  };

  Anderson aa(l, std::max(1, st.anderson_memory), st.anderson_type1, st.anderson_reg, st.anderson_safeguard,
             st.anderson_reset_on_reject);
  const bool use_aa = st.anderson_memory > 0;
  int since_check = st.check_interval;  // check at the first iteration
  Evaluation ev;
  auto log_row = [&](int iterations, bool force) {
    if (!progress.on()) return;
    progress.row({iterations, ev.have_point, ev.pri, ev.dual, ev.gap, ev.cx, -ev.by, adapt.scale, elapsed()}, force);
  };
  // The CG-first back end (linsys.hpp) may build its factor during any solve: logged at the next check.
  auto note_switch = [&](int iterations) {
    if (lin->name() == sol.linear_solver) return;
    sol.linear_solver = lin->name();
    progress.x_system_switch(iterations, sol.linear_solver, lin->detail());
  };
  bool done = false;
  int k = 0;
  for (; k < st.max_iters; ++k) {
    try {
      apply_T(w);
    } catch (const std::exception& e) {  // a factor built mid-run (CG first) can fail like the first one
      sol.status = Status::numerical_error;
      sol.message = std::string("linear system: ") + e.what();
      done = true;
      break;
    }
    if (!Tw.allFinite() || !u.allFinite()) {
      sol.status = Status::numerical_error;
      sol.message = "non-finite iterate at iteration " + std::to_string(k);
      done = true;
      break;
    }
    const double fnorm = (Tw - w).norm();
    if (use_aa && aa.undo_if_rejected(fnorm, w)) continue;  // safeguard: back to the plain iterate
    if (++since_check >= st.check_interval) {
      since_check = 0;
      evaluate(ev);
      if (ev.have_point && ev.optimal) {
        sol.status = Status::optimal;
        done = true;
      } else if (ev.infeasible) {
        sol.status = Status::infeasible;
        done = true;
      } else if (ev.unbounded) {
        sol.status = Status::unbounded;
        done = true;
      }
      log_row(k + 1, done);
      note_switch(k + 1);
      if (done) break;
      if (st.time_limit_s > 0.0 && elapsed() > st.time_limit_s) {
        sol.message = "time limit reached";
        break;
      }
      const double scale_before = adapt.scale;
      // tau > 0 here means ev.have_point: the ratio of the unscaled iterate (measured better than the
      // same ratio in the equilibrated space, docs/solver.md)
      if (st.adaptive_scale && u[nm] > 0.0 &&
          kn::adaptive_scale_step(adapt, kn::residual_ratio(ev.pri, ev.eps_pri, ev.dual, ev.eps_dual, st.eps_abs),
                                  kn::termination_distance(ev.pri, ev.eps_pri, ev.dual, ev.eps_dual, ev.gap, ev.eps_gap),
                                  st.scale_floor > 0.0 ? balance(u.segment(n, m), v.segment(n, m)) : 0.0, k,
                                  rule)) {
        try {
          set_scale(adapt.scale);
        } catch (const std::exception& e) {
          sol.status = Status::numerical_error;
          sol.message = std::string("refactorisation: ") + e.what();
          done = true;
          break;
        }
        ++sol.scale_updates;
        progress.scale_change(k + 1, scale_before, adapt.scale);
        // re-express the iterate in the new metric: w = u + R^{-1} v
        Tw.head(n) = u.head(n);
        Tw.segment(n, m) = u.segment(n, m) + v.segment(n, m).cwiseQuotient(r.segment(n, m));
        Tw[nm] = u[nm] + v[nm] / kRtau;
        aa.restart();
        w = Tw;
        continue;
      }
    }
    if (use_aa) aa.advance(k, st.anderson_interval, Tw, fnorm, w);
    else w = Tw;
  }
  sol.anderson_accepted = aa.state().accepted;
  sol.anderson_rejected = aa.state().rejected;
  if (!done) {
    sol.status = Status::max_iterations;
    if (sol.message.empty()) sol.message = "iteration limit reached";
    evaluate(ev);
  }
  sol.iterations = std::min(k + 1, st.max_iters);
  if (sol.status == Status::max_iterations) log_row(sol.iterations, true);
  sol.scale = adapt.scale;
  if (sol.status == Status::infeasible) {
    sol.y = ev.cert_y;
    sol.x = VectorXd::Zero(n);
    sol.s = VectorXd::Zero(m);
    sol.dual_objective = -prob.b.dot(sol.y);  // = 1 for the normalised certificate
    sol.primal_objective = std::numeric_limits<double>::infinity();
    sol.dual_residual = inf_norm(At * sol.y);
    sol.message = "primal infeasible: b^T y = -1, ||A^T y||_inf = " + std::to_string(sol.dual_residual);
  } else if (sol.status == Status::unbounded) {
    sol.x = ev.cert_x;
    sol.s = ev.cert_s;
    sol.y = VectorXd::Zero(m);
    sol.primal_objective = -std::numeric_limits<double>::infinity();
    sol.dual_objective = -std::numeric_limits<double>::infinity();
    sol.primal_residual = inf_norm(prob.A * sol.x + sol.s);
    sol.message = "dual infeasible: c^T x = -1, ||A x + s||_inf = " + std::to_string(sol.primal_residual);
  } else if (ev.have_point) {
    sol.x = ev.x;
    sol.y = ev.y;
    sol.s = ev.s;
    sol.primal_objective = ev.cx;
    sol.dual_objective = -ev.by;
    sol.primal_residual = ev.pri;
    sol.dual_residual = ev.dual;
    sol.gap = ev.gap;
  } else {
    sol.x = VectorXd::Zero(n);
    sol.y = VectorXd::Zero(m);
    sol.s = VectorXd::Zero(m);
    sol.primal_objective = sol.dual_objective = std::numeric_limits<double>::quiet_NaN();
    if (sol.message.empty()) sol.message = "no point with tau > 0";
  }
  note_switch(sol.iterations);
  sol.seconds = elapsed();
  progress.outcome(sol);
  return sol;
}

}  // namespace isacbf::conic
