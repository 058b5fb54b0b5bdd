#include "host/model_b/had_design.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/common/units.hpp"
#include "host/conic/grouped_solve.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/had_step.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/mo_altmin.hpp"

namespace isacbf::model_b {
namespace {

constexpr double kFeasible = 1 + 1e-5;

// The analog-step cost in probe form (manifold.hpp): probes C = [h_1..h_K, g_1..g_J, a_1..a_{J+C}].
ManifoldProblem analog_problem(const HadStepData& d, const Eigen::MatrixXcd& B, double mu0) {
  const int K = d.K, J = static_cast<int>(d.g.size()), A = static_cast<int>(d.a.size()), Lc = static_cast<int>(B.cols());
  const int P = K + J + A;
  ManifoldProblem p;
  p.C.resize(d.F.rows(), P);
  for (int k = 0; k < K; ++k) p.C.col(k) = d.h[static_cast<std::size_t>(k)];
  for (int j = 0; j < J; ++j) p.C.col(K + j) = d.g[static_cast<std::size_t>(j)];
  for (int i = 0; i < A; ++i) p.C.col(K + J + i) = d.a[static_cast<std::size_t>(i)];
  p.B = B;
  p.a = Eigen::MatrixXd::Zero(P, Lc);
  p.beta = Eigen::MatrixXcd::Zero(P, Lc);
  // -surrogate = sum_k |y_k^* M_kk - c_k|^2 + sum_{l != k} |y_k|^2 |M_kl|^2 - sum_k [ln(1+rho_k) + 1 - |y_k|^2].
  for (int k = 0; k < K; ++k) {
    const auto y = d.y[static_cast<std::size_t>(k)];
    const double c = std::sqrt(1 + d.rho[static_cast<std::size_t>(k)]);
    for (int l = 0; l < Lc; ++l) p.a(k, l) = std::norm(y);
    p.beta(k, k) = -2.0 * c * y;  // Re(conj(beta) M) = -2 c Re(y^* M)
    p.kappa += c * c - std::log1p(d.rho[static_cast<std::size_t>(k)]) - 1 + std::norm(y);
  }
  auto add_penalty = [&](Eigen::MatrixXd a, double pi, double kappa) {
    p.pen_a.push_back(std::move(a));
    p.pen_pi.push_back(pi);
    p.pen_kappa.push_back(kappa);
    p.mu.push_back(mu0);
  };
  for (int j = 0; j < J; ++j)
    for (int k = 0; k < K; ++k) {  // |g^H F b_k|^2 / Gamma_e - sum_s |g^H F s|^2 - 1 <= 0
      Eigen::MatrixXd a = Eigen::MatrixXd::Zero(P, Lc);
      a(K + j, k) = 1.0 / d.Gamma_e;
      for (int s = K; s < Lc; ++s) a(K + j, s) = -1.0;
      add_penalty(a, 0.0, -1.0);
    }
  for (int j = 0; j < J; ++j) {  // 1 + sum_{i != j} coef_ji ||a_i^H F B||^2 - coef_jj / Gamma_s ||a_j^H F B||^2 <= 0
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(P, Lc);
    for (int i = 0; i < A; ++i) a.row(K + J + i).setConstant(i == j ? -d.coef(j, i) / d.Gamma_s : d.coef(j, i));
    add_penalty(a, 0.0, 1.0);
  }
  add_penalty(Eigen::MatrixXd::Zero(P, Lc), 1.0, -1.0);  // ||F B||^2 - 1 <= 0
  return p;
}

// One instance's design in progress (the loop body of Algorithm 2, split at the two batched solves).
struct HadState {
  const Instance* inst = nullptr;
  Instance view;
  double P = 0.0;
  HadStepData d;
  Eigen::MatrixXcd B;
  HadResult r;
  double best_rate = -1.0, previous = -1.0;
  bool running = true;
  conic::WarmStart warm;  // the previous digital step's solution (HadOptions::warm_start)

  void designs(const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& Bm, Eigen::MatrixXcd& W, Eigen::MatrixXcd& S) const {
    W = std::sqrt(P) * F * Bm.leftCols(d.K);
    S = std::sqrt(P) * F * Bm.rightCols(d.Ns);
  }
  void refresh_coefficients() {
    Eigen::MatrixXcd W, S;
    designs(d.F, B, W, S);
    if (inst->J > 0) d.coef = sensing_coefficients(view, mvdr_receivers(view, W * W.adjoint() + S * S.adjoint(), Csi::truth));
  }
};

void validate_options(const HadOptions& o) {
  if (!(o.delta > 0) || !std::isfinite(o.delta)) throw InputError("delta", "must be positive and finite");
  if (o.max_iterations < 1) throw InputError("max_iterations", "must be >= 1");
  if (!(o.mu_growth > 1)) throw InputError("mu_growth", "must be > 1");
  validate(o.manifold);
}

// The callers have validated inst.
Eigen::MatrixXcd altmin_target(const Instance& inst) {
  const int Ns = inst.Ns, K = inst.K;
  const InitialPoint init = initial_point(inst);
  Eigen::MatrixXcd T(inst.Nt, K + Ns);
  T.leftCols(K) = init.W;
  for (int s = 0; s < Ns; ++s)
    T.col(K + s) = init.S.cols() > 0 ? Eigen::VectorXcd(init.S.col(std::min<int>(s, static_cast<int>(init.S.cols()) - 1))) : Eigen::VectorXcd::Zero(inst.Nt);
  if (Ns > 0 && init.S.cols() > 0) T.rightCols(Ns) *= std::sqrt(init.S.squaredNorm() / T.rightCols(Ns).squaredNorm());
  return T / std::sqrt(power_budget_W(inst));
}

// (49): the design's start from the MO-AltMin fit `alt` of altmin_target(inst) = T; the scaled channels.
HadState start(const Instance& inst, const Eigen::MatrixXcd& T, const AltMinResult& alt) {
  HadState st;
  st.inst = &inst;
  st.view = design_view(inst);
  st.P = power_budget_W(inst);
  const int K = inst.K;
  HadStepData& d = st.d;
  d.K = K;
  d.Ns = inst.Ns;
  d.F = alt.F;
  st.B = alt.B * (T.norm() / (alt.F * alt.B).norm());
  for (int k = 0; k < K; ++k) d.h.push_back(std::sqrt(st.P / sigma2(inst)) * inst.h[static_cast<std::size_t>(k)]);
  for (int j = 0; j < inst.J; ++j) d.g.push_back(std::sqrt(st.P / sigma_e2(inst)) * inst.g_est[static_cast<std::size_t>(j)]);
  for (int j = 0; j < inst.J; ++j) d.a.push_back(steering_vector_deg(inst.Nt, st.view.theta_ae_deg[static_cast<std::size_t>(j)]));
  for (const auto& c : inst.clutter) d.a.push_back(steering_vector_deg(inst.Nt, c.theta_deg));
  d.Gamma_e = db_to_linear(inst.Gamma_e_dB);
  d.Gamma_s = db_to_linear(inst.Gamma_s_dB);
  st.r.status = "max_iterations";
  return st;
}

// After the digital step's solve: B, the rate, the best feasible design, the stopping rule.
void after_digital_step(HadState& st, const conic::Solution& sol, int it, const HadOptions& o) {
  HadResult& r = st.r;
  if (sol.status == conic::Status::optimal) {
    st.B = decode_had_step(st.d, sol.x);
    const double power = (st.d.F * st.B).squaredNorm();
    if (power > 1) st.B /= std::sqrt(power);
  } else if (sol.status == conic::Status::max_iterations) {
    // An iterative solver that ran out of iterations: keep B, let the analog step move F, retry.
    r.message = "HAD digital step " + std::to_string(it + 1) + ": conic solver max_iterations (B kept)";
  } else if (sol.status != conic::Status::infeasible) {
    // Solver breakdown (typically a nearly degenerate step close to the fixed point): stop here and
    // return the best feasible iterate, without claiming convergence.
    r.message = "HAD digital step " + std::to_string(it + 1) + ": " + conic::to_string(sol.status) + " " + sol.message;
    st.running = false;
    return;
  } else {
    // The Taylor restriction at an infeasible point (e.g. the MO-AltMin start) can be empty; the analog
    // step moves F towards feasibility.
    r.message = "HAD digital step " + std::to_string(it + 1) + ": restriction infeasible";
  }
  ++r.iterations;
  Eigen::MatrixXcd W, S;
  st.designs(st.d.F, st.B, W, S);
  const double rate = evaluate(st.view, design_from_beams(st.view, W, S)).sum_rate;
  r.objective_trace.push_back(rate);
  if (worst_constraint_ratio(*st.inst, W, S * S.adjoint()) <= kFeasible && rate > st.best_rate) {
    st.best_rate = rate;
    r.F = st.d.F;
    r.W = W;
    r.S = S;
    r.feasible = true;
  }
  if (st.previous > 0 && std::abs(rate - st.previous) <= o.delta * st.previous && r.feasible) {
    r.status = "optimal";
    st.running = false;
    return;
  }
  st.previous = rate;
}

// Analog step, B fixed, for every running instance: penalty-based manifold optimisation, the penalty
// rounds in lockstep (an instance leaves when its violations are below tolerance); instances of one
// shape share a manifold batch.
void analog_steps(std::vector<HadState*>& running, ManifoldBatchSolver& manifold, const HadOptions& o) {
  const std::size_t n = running.size();
  std::vector<ManifoldProblem> mp(n);
  std::vector<Eigen::MatrixXcd> F(n);
  parallel_for(n, [&](std::size_t i) {
    HadState& st = *running[i];
    st.refresh_coefficients();
    update_auxiliaries(st.d, st.B);
    mp[i] = analog_problem(st.d, st.B, 1.0);
    const double f0 = manifold_cost(mp[i], st.d.F);
    std::fill(mp[i].mu.begin(), mp[i].mu.end(), std::max(1.0, std::abs(f0)));  // (50)
    F[i] = st.d.F;
  });
  std::vector<std::size_t> left(n);
  for (std::size_t i = 0; i < n; ++i) left[i] = i;
  for (int round = 0; round < o.penalty_rounds && !left.empty(); ++round) {
    std::vector<ManifoldProblem> batch;
    std::vector<Eigen::MatrixXcd> F0;
    for (std::size_t i : left) {
      batch.push_back(mp[i]);
      F0.push_back(F[i]);
    }
    std::vector<ManifoldResult> res = minimise_by_shape(manifold, batch, F0, o.manifold);
    std::vector<std::size_t> still;
    for (std::size_t k = 0; k < left.size(); ++k) {
      const std::size_t i = left[k];
      F[i] = std::move(res[k].F);
      const std::vector<double> pv = penalty_values(mp[i], F[i]);
      if (*std::max_element(pv.begin(), pv.end()) <= o.violation_tolerance) continue;
      for (double& mu : mp[i].mu) mu *= o.mu_growth;
      still.push_back(i);
    }
    left = std::move(still);
  }
  for (std::size_t i = 0; i < n; ++i) running[i]->d.F = F[i];
}

HadResult finish(HadState& st) {
  HadResult r = std::move(st.r);
  if (!r.feasible) {
    r.status = "infeasible";
    r.message = (r.message.empty() ? std::string() : r.message + "; ") + "no iterate satisfied every constraint (not a certificate)";
    st.designs(st.d.F, st.B, r.W, r.S);
    r.F = st.d.F;
  }
  return r;
}

}  // namespace

std::vector<HadResult> run_had_batch(const std::vector<Instance>& instances, conic::BatchSolver& solver, ManifoldBatchSolver& manifold,
                                     const HadOptions& o) {
  validate_options(o);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    if (o.n_rf < 1 || o.n_rf > instances[i].Nt)
      throw InputError("N_RF", "must be in [1, Nt] (instances[" + std::to_string(i) + "] has Nt = " + std::to_string(instances[i].Nt) + ")");
    try {
      validate(instances[i]);
    } catch (const InputError& e) {
      throw e.nested_in("instances[" + std::to_string(i) + "]");
    }
  }
  if (instances.size() > 1 && solver.concurrent_single_calls() && manifold.backend() == conic::Backend::cpu) {
    // All on the CPU reference, where a problem alone costs the same as in a batch: each design on its
    // own thread, so no round waits for the slowest (the designs stop after different iterations).
    std::vector<HadResult> out(instances.size());
    parallel_for(
        instances.size(),
        [&](std::size_t i) {
          const auto alone = make_cpu_manifold_solver(1);
          out[i] = run_had_batch({instances[i]}, solver, *alone, o).front();
        },
        o.conic.threads);
    return out;
  }
  // The starts: MO-AltMin (~1 s per instance at Nt 256 on one core) as one lockstep batch whose F steps
  // go to the manifold backend, the host work around it over all cores.
  std::vector<Eigen::MatrixXcd> targets(instances.size());
  parallel_for(instances.size(), [&](std::size_t i) { targets[i] = altmin_target(instances[i]); });
  const std::vector<AltMinResult> fits = mo_altmin_batch(targets, o.n_rf, manifold);
  std::vector<HadState> states(instances.size());
  parallel_for(instances.size(), [&](std::size_t i) { states[i] = start(instances[i], targets[i], fits[i]); });
  for (int it = 0; it < o.max_iterations; ++it) {
    // Digital steps, F fixed: one conic batch over the running instances.
    // The per-instance host work around the two batched solves runs over all cores too.
    std::vector<HadState*> running;
    for (HadState& st : states)
      if (st.running) running.push_back(&st);
    if (running.empty()) break;
    std::vector<conic::ConicProblem> problems(running.size());
    parallel_for(running.size(), [&](std::size_t i) {
      HadState& st = *running[i];
      st.refresh_coefficients();
      st.d.B0 = st.B;
      update_auxiliaries(st.d, st.B);
      problems[i] = build_had_step(st.d);
    });
    std::vector<conic::WarmStart> warm;
    if (o.warm_start)
      for (const HadState* st : running) warm.push_back(st->warm);
    // One call per cone shape: instances of other sizes give other shapes, and a backend needs one per batch.
    const std::vector<conic::Solution> sols = conic::solve_grouped(solver, problems, o.conic, warm);
    if (o.warm_start)
      for (std::size_t i = 0; i < running.size(); ++i)
        if (sols[i].status == conic::Status::optimal) running[i]->warm = {sols[i].x, sols[i].y, sols[i].s};
    parallel_for(running.size(), [&](std::size_t i) { after_digital_step(*running[i], sols[i], it, o); });
    running.erase(std::remove_if(running.begin(), running.end(), [](const HadState* st) { return !st->running; }), running.end());
    if (!running.empty()) analog_steps(running, manifold, o);
  }
  std::vector<HadResult> out;
  out.reserve(states.size());
  for (HadState& st : states) out.push_back(finish(st));
  return out;
}

conic::Settings had_conic_settings(conic::Settings base) {
  base.adaptive_scale = false;
  base.normalize_bc = true;
  return base;
}

Eigen::MatrixXcd had_altmin_target(const Instance& inst) {
  validate(inst);
  return altmin_target(inst);
}

ManifoldProblem had_start_analog_problem(const Instance& inst, const HadOptions& o, Eigen::MatrixXcd& F0) {
  validate_options(o);
  if (o.n_rf < 1 || o.n_rf > inst.Nt) throw InputError("N_RF", "must be in [1, Nt]");
  validate(inst);
  const Eigen::MatrixXcd T = altmin_target(inst);
  HadState st = start(inst, T, mo_altmin(T, o.n_rf));
  st.refresh_coefficients();
  update_auxiliaries(st.d, st.B);
  ManifoldProblem mp = analog_problem(st.d, st.B, 1.0);
  const double f0 = manifold_cost(mp, st.d.F);
  std::fill(mp.mu.begin(), mp.mu.end(), std::max(1.0, std::abs(f0)));  // (50)
  F0 = st.d.F;
  return mp;
}

HadResult run_had(const Instance& inst, conic::BatchSolver& solver, const HadOptions& o) {
  validate(inst);  // errors name the instance's own fields, as before batching existed
  const auto manifold = make_cpu_manifold_solver(1);
  return run_had_batch({inst}, solver, *manifold, o).front();
}

}  // namespace isacbf::model_b
