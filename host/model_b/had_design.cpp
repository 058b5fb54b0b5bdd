#include "host/model_b/had_design.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/units.hpp"
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

}  // namespace

HadResult run_had(const Instance& inst, conic::BatchSolver& solver, const HadOptions& o) {
  validate(inst);
  if (o.n_rf < 1 || o.n_rf > inst.Nt) throw InputError("N_RF", "must be in [1, Nt]");
  if (!(o.delta > 0)) throw InputError("delta", "must be > 0");
  if (o.max_iterations < 1) throw InputError("max_iterations", "must be >= 1");
  if (!(o.mu_growth > 1)) throw InputError("mu_growth", "must be > 1");
  const Instance view = design_view(inst);
  const double P = power_budget_W(inst);
  const int Ns = inst.Ns, K = inst.K;

  // (49): MO-AltMin of the digital initial point, in units where the budget is 1.
  const InitialPoint init = initial_point(inst);
  Eigen::MatrixXcd T(inst.Nt, K + Ns);
  T.leftCols(K) = init.W;
  for (int s = 0; s < Ns; ++s)
    T.col(K + s) = init.S.cols() > 0 ? Eigen::VectorXcd(init.S.col(std::min<int>(s, static_cast<int>(init.S.cols()) - 1))) : Eigen::VectorXcd::Zero(inst.Nt);
  if (Ns > 0 && init.S.cols() > 0) T.rightCols(Ns) *= std::sqrt(init.S.squaredNorm() / T.rightCols(Ns).squaredNorm());
  T /= std::sqrt(P);
  const AltMinResult alt = mo_altmin(T, o.n_rf);
  HadStepData d;
  d.K = K;
  d.Ns = Ns;
  d.F = alt.F;
  Eigen::MatrixXcd B = alt.B * (T.norm() / (alt.F * alt.B).norm());
  for (int k = 0; k < K; ++k) d.h.push_back(std::sqrt(P / sigma2(inst)) * inst.h[static_cast<std::size_t>(k)]);
  for (int j = 0; j < inst.J; ++j) d.g.push_back(std::sqrt(P / sigma_e2(inst)) * inst.g_est[static_cast<std::size_t>(j)]);
  for (int j = 0; j < inst.J; ++j) d.a.push_back(steering_vector_deg(inst.Nt, view.theta_ae_deg[static_cast<std::size_t>(j)]));
  for (const auto& c : inst.clutter) d.a.push_back(steering_vector_deg(inst.Nt, c.theta_deg));
  d.Gamma_e = db_to_linear(inst.Gamma_e_dB);
  d.Gamma_s = db_to_linear(inst.Gamma_s_dB);

  HadResult r;
  double best_rate = -1.0, previous = -1.0;
  auto designs = [&](const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& Bm, Eigen::MatrixXcd& W, Eigen::MatrixXcd& S) {
    W = std::sqrt(P) * F * Bm.leftCols(K);
    S = std::sqrt(P) * F * Bm.rightCols(Ns);
  };
  auto refresh_coefficients = [&]() {
    Eigen::MatrixXcd W, S;
    designs(d.F, B, W, S);
    if (inst.J > 0) d.coef = sensing_coefficients(view, mvdr_receivers(view, W * W.adjoint() + S * S.adjoint(), Csi::truth));
  };
  r.status = "max_iterations";
  for (int it = 0; it < o.max_iterations; ++it) {
    // Digital step, F fixed.
    refresh_coefficients();
    d.B0 = B;
    update_auxiliaries(d, B);
    const conic::Solution sol = solver.solve({build_had_step(d)}, o.conic).front();
    if (sol.status == conic::Status::optimal) {
      B = decode_had_step(d, sol.x);
      const double power = (d.F * B).squaredNorm();
      if (power > 1) B /= std::sqrt(power);
    } else if (sol.status == conic::Status::max_iterations) {
      // An iterative solver that ran out of iterations: keep B, let the analog step move F, retry.
      r.message = "HAD digital step " + std::to_string(it + 1) + ": conic solver max_iterations (B kept)";
    } else if (sol.status != conic::Status::infeasible) {
      // Solver breakdown (typically a nearly degenerate step close to the fixed point): stop here and
      // return the best feasible iterate, without claiming convergence.
      r.message = "HAD digital step " + std::to_string(it + 1) + ": " + conic::to_string(sol.status) + " " + sol.message;
      break;
    } else {
      // The Taylor restriction at an infeasible point (e.g. the MO-AltMin start) can be empty; the analog
      // step below moves F towards feasibility.
      r.message = "HAD digital step " + std::to_string(it + 1) + ": restriction infeasible";
    }
    ++r.iterations;
    Eigen::MatrixXcd W, S;
    designs(d.F, B, W, S);
    const double rate = evaluate(view, design_from_beams(view, W, S)).sum_rate;
    r.objective_trace.push_back(rate);
    if (worst_constraint_ratio(inst, W, S * S.adjoint()) <= kFeasible && rate > best_rate) {
      best_rate = rate;
      r.F = d.F;
      r.W = W;
      r.S = S;
      r.feasible = true;
    }
    if (previous > 0 && std::abs(rate - previous) <= o.delta * previous && r.feasible) {
      r.status = "optimal";
      break;
    }
    previous = rate;
    // Analog step, B fixed: penalty-based manifold optimisation.
    refresh_coefficients();
    update_auxiliaries(d, B);
    ManifoldProblem mp = analog_problem(d, B, 1.0);
    const double f0 = manifold_cost(mp, d.F);
    std::fill(mp.mu.begin(), mp.mu.end(), std::max(1.0, std::abs(f0)));  // (50)
    Eigen::MatrixXcd F = d.F;
    for (int round = 0; round < o.penalty_rounds; ++round) {
      F = minimise_on_circle_manifold(mp, F, o.manifold).F;
      const std::vector<double> pv = penalty_values(mp, F);
      if (*std::max_element(pv.begin(), pv.end()) <= o.violation_tolerance) break;
      for (double& mu : mp.mu) mu *= o.mu_growth;
    }
    d.F = F;
  }
  if (!r.feasible) {
    r.status = "infeasible";
    r.message = (r.message.empty() ? std::string() : r.message + "; ") + "no iterate satisfied every constraint (not a certificate)";
    designs(d.F, B, r.W, r.S);
    r.F = d.F;
  }
  return r;
}

}  // namespace isacbf::model_b
