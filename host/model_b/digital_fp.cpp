#include "host/model_b/digital_fp.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_b/digital_step.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/reduction.hpp"

namespace isacbf::model_b {

Instance design_view(const Instance& inst) {
  Instance v = inst;
  v.g_true = inst.g_est;
  v.theta_ae_deg = inst.theta_ae_est_deg;
  return v;
}

namespace {

bool eve_row_on(const FpOptions& o, int j, int k) {
  return o.eve_on.empty() || o.eve_on[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)];
}

Design make_design(const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& R_s) {
  Design d;
  d.W = W;
  d.R_s = R_s;
  return d;
}

double sum_rate(const Instance& view, const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& R_s) {
  return evaluate(view, make_design(W, R_s)).sum_rate;
}

Eigen::MatrixXcd psd_part(const Eigen::MatrixXcd& X) {
  const Eigen::MatrixXcd H = 0.5 * (X + X.adjoint());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(H);
  const Eigen::VectorXd lambda = es.eigenvalues().cwiseMax(0.0);
  return es.eigenvectors() * lambda.asDiagonal() * es.eigenvectors().adjoint();
}

}  // namespace

// Per-iteration sensing coefficients coef(j, i) from the receivers U (Nr x J), design angles.
Eigen::MatrixXd sensing_coefficients(const Instance& view, const Eigen::MatrixXcd& U) {
  const int JC = view.J + static_cast<int>(view.clutter.size());
  const double scale = power_budget_W(view) * view.L_s / sigma_r2(view);
  Eigen::MatrixXd coef(view.J, JC);
  for (int j = 0; j < view.J; ++j) {
    const Eigen::VectorXcd u = U.col(j);
    for (int i = 0; i < JC; ++i) {
      const bool ae = i < view.J;
      const double theta = ae ? view.theta_ae_deg[static_cast<std::size_t>(i)] : view.clutter[static_cast<std::size_t>(i - view.J)].theta_deg;
      const double gain = ae ? std::norm(view.alpha(i)) : std::norm(view.clutter[static_cast<std::size_t>(i - view.J)].beta);
      coef(j, i) = scale * gain * std::norm(u.dot(steering_vector_deg(view.Nr, theta))) / u.squaredNorm();
    }
  }
  return coef;
}

double worst_constraint_ratio(const Instance& inst, const Eigen::MatrixXcd& W, const Eigen::MatrixXcd& R_s,
                              const FpOptions& options) {
  const Instance view = design_view(inst);
  const Metrics m = evaluate(view, make_design(W, R_s));
  double worst = m.power_W / power_budget_W(inst);
  const double cap = db_to_linear(inst.Gamma_e_dB), threshold = db_to_linear(inst.Gamma_s_dB);
  for (int j = 0; j < inst.J; ++j) {
    for (int k = 0; k < inst.K; ++k)
      if (eve_row_on(options, j, k)) worst = std::max(worst, m.sinr_eve[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)] / cap);
    if (options.sensing_constraints) worst = std::max(worst, threshold / m.scnr[static_cast<std::size_t>(j)]);
  }
  return worst;
}

InitialPoint initial_point(const Instance& inst, const FpOptions& options) {
  validate(inst);
  if (options.xi_grid < 1) throw InputError("xi_grid", "must be >= 1");
  const Instance view = design_view(inst);
  const double P = power_budget_W(inst);
  InitialPoint out;
  // Initialisation (28)-(29): largest xi on a downward grid that satisfies every constraint.
  Eigen::MatrixXcd W0(inst.Nt, inst.K), S0 = Eigen::MatrixXcd::Zero(inst.Nt, std::max(inst.Ns, 1));
  for (int k = 0; k < inst.K; ++k) W0.col(k) = inst.h[static_cast<std::size_t>(k)];
  if (!options.sensing_covariance) {
    // Without a sensing signal (comm-only baselines) the AEs can only be kept below Gamma_e by not
    // illuminating them: start every constrained stream orthogonal to its AEs' channels, so the first
    // Taylor restriction of (15b) is not dominated by streams that must later be silenced.
    for (int k = 0; k < inst.K; ++k) {
      Eigen::MatrixXcd G(inst.Nt, 0);
      for (int j = 0; j < inst.J; ++j)
        if (eve_row_on(options, j, k)) {
          G.conservativeResize(Eigen::NoChange, G.cols() + 1);
          G.col(G.cols() - 1) = inst.g_est[static_cast<std::size_t>(j)];
        }
      if (G.cols() == 0) {  // a stream the AEs may hear carries the sensing illumination
        Eigen::VectorXcd toward_aes = Eigen::VectorXcd::Zero(inst.Nt);
        for (int j = 0; j < inst.J; ++j) toward_aes += steering_vector_deg(inst.Nt, inst.theta_ae_est_deg[static_cast<std::size_t>(j)]);
        if (inst.J > 0) W0.col(k) = W0.col(k).normalized() + toward_aes.normalized();
        continue;
      }
      const Eigen::MatrixXcd B = G.householderQr().householderQ() * Eigen::MatrixXcd::Identity(inst.Nt, G.cols());
      W0.col(k) -= B * (B.adjoint() * W0.col(k));
    }
  }
  for (int j = 0; j < inst.J; ++j) S0.colwise() += steering_vector_deg(inst.Nt, view.theta_ae_deg[static_cast<std::size_t>(j)]);
  const bool sensing_signal = options.sensing_covariance && inst.J > 0 && S0.norm() > 0;
  double best_ratio = INFINITY, best_xi = 1.0;
  // xi = 0 (W = 0) is left out: y = 0 there and the FP step cannot leave it (a degenerate point);
  // when no xi > 0 is feasible the feasibility phase of run_digital_fp takes over.
  for (int g = options.xi_grid; g >= 1; --g) {
    const double xi = sensing_signal ? static_cast<double>(g) / options.xi_grid : 1.0;
    const Eigen::MatrixXcd W = std::sqrt(xi * P) * W0 / W0.norm();
    const Eigen::MatrixXcd S = sensing_signal ? Eigen::MatrixXcd(std::sqrt((1 - xi) * P) * S0 / S0.norm()) : Eigen::MatrixXcd::Zero(inst.Nt, 1);
    const double ratio = worst_constraint_ratio(inst, W, S * S.adjoint(), options);
    if (ratio <= 1.0 + 1e-9) {
      best_ratio = ratio;
      best_xi = xi;
      out.feasible = true;
      break;
    }
    if (ratio < best_ratio) {
      best_ratio = ratio;
      best_xi = xi;
    }
    if (!sensing_signal) break;
  }
  out.xi = best_xi;
  out.W = std::sqrt(best_xi * P) * W0 / W0.norm();
  out.S = sensing_signal ? Eigen::MatrixXcd(std::sqrt((1 - best_xi) * P) * S0 / S0.norm()) : Eigen::MatrixXcd::Zero(inst.Nt, 0);
  return out;
}

FpResult run_digital_fp(const Instance& inst, conic::BatchSolver& solver, const FpOptions& options) {
  validate(inst);
  if (!(options.delta > 0) || !std::isfinite(options.delta)) throw InputError("delta", "must be positive and finite");
  if (options.max_iterations < 1) throw InputError("max_iterations", "must be >= 1");
  if (options.xi_grid < 1) throw InputError("xi_grid", "must be >= 1");
  if (!options.eve_on.empty()) {
    if (static_cast<int>(options.eve_on.size()) != inst.J) throw InputError("eve_on", "expected J rows");
    for (const auto& row : options.eve_on)
      if (static_cast<int>(row.size()) != inst.K) throw InputError("eve_on", "expected K entries per row");
  }
  const Instance view = design_view(inst);
  const double P = power_budget_W(inst);
  const Eigen::MatrixXcd Q = design_basis(inst);
  FpResult result;
  result.basis_dimension = static_cast<int>(Q.cols());

  const InitialPoint init = initial_point(inst, options);
  result.xi = init.xi;
  result.initial_point_feasible = init.feasible;
  Eigen::MatrixXcd W = init.W;
  Eigen::MatrixXcd R_s = init.S * init.S.adjoint();

  // Reduced, scaled data (digital_step.hpp).
  DigitalStepData data;
  data.d = static_cast<int>(Q.cols());
  data.K = inst.K;
  for (int k = 0; k < inst.K; ++k) data.h.push_back(std::sqrt(P / sigma2(inst)) * Q.adjoint() * inst.h[static_cast<std::size_t>(k)]);
  for (int j = 0; j < inst.J; ++j) data.g.push_back(std::sqrt(P / sigma_e2(inst)) * Q.adjoint() * inst.g_est[static_cast<std::size_t>(j)]);
  for (int j = 0; j < inst.J; ++j) data.a.push_back(Q.adjoint() * steering_vector_deg(inst.Nt, view.theta_ae_deg[static_cast<std::size_t>(j)]));
  for (const auto& c : inst.clutter) data.a.push_back(Q.adjoint() * steering_vector_deg(inst.Nt, c.theta_deg));
  data.Gamma_e = db_to_linear(inst.Gamma_e_dB);
  data.Gamma_s = db_to_linear(inst.Gamma_s_dB);
  data.eve_on = options.eve_on;
  data.sensing_constraints = options.sensing_constraints && inst.J > 0;
  data.has_sensing_covariance = options.sensing_covariance;

  // Feasibility phase when no xi on the grid is feasible: minimise the SCNR slack over successive
  // Taylor restrictions (always feasible problems) until a point with every constraint holds.
  if (!result.initial_point_feasible && data.sensing_constraints) {
    data.feasibility_phase = true;
    double last_slack = INFINITY;
    for (int it = 0; it < options.max_feasibility_iterations; ++it) {
      data.coef = sensing_coefficients(view, mvdr_receivers(view, W * W.adjoint() + R_s, Csi::truth));
      data.V0 = Q.adjoint() * W / std::sqrt(P);
      update_auxiliaries(data, data.V0, Q.adjoint() * R_s * Q / P);
      const conic::Solution sol = solver.solve({build_digital_step(data)}, options.conic).front();
      ++result.feasibility_iterations;
      if (sol.status != conic::Status::optimal) break;
      const DigitalStepPoint p = decode_digital_step(data, sol.x);
      W = std::sqrt(P) * Q * p.V;
      R_s = options.sensing_covariance ? Eigen::MatrixXcd(P * Q * psd_part(p.X) * Q.adjoint()) : Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
      if (worst_constraint_ratio(inst, W, R_s, options) <= 1.0 + 1e-9) {
        result.feasible_point_found = true;
        break;
      }
      // Stalled: the slack no longer falls by 1 % per step (e.g. two AEs closer than the resolution).
      if (sol.primal_objective > 0.99 * last_slack) break;
      last_slack = sol.primal_objective;
    }
    data.feasibility_phase = false;
  }

  double rate = sum_rate(view, W, R_s);
  result.objective_trace.push_back(rate);
  result.status = "max_iterations";
  for (int it = 0; it < options.max_iterations; ++it) {
    const Eigen::MatrixXcd R_x = W * W.adjoint() + R_s;
    if (data.sensing_constraints) data.coef = sensing_coefficients(view, mvdr_receivers(view, R_x, Csi::truth));
    data.V0 = Q.adjoint() * W / std::sqrt(P);
    const Eigen::MatrixXcd X0 = Q.adjoint() * R_s * Q / P;
    update_auxiliaries(data, data.V0, X0);
    const conic::ConicProblem problem = build_digital_step(data);
    const conic::Solution sol = solver.solve({problem}, options.conic).front();
    if (sol.status == conic::Status::infeasible) {
      result.status = "infeasible";
      const bool started_feasible = result.initial_point_feasible || result.feasible_point_found;
      result.message = "FP step " + std::to_string(it + 1) + ": conic step certified infeasible (" + sol.message + ")" +
                       (started_feasible ? "" : "; no feasible point found (xi grid and feasibility phase): the certificate "
                                                "covers the Taylor restriction, not problem (15)");
      break;
    }
    if (sol.status != conic::Status::optimal) {
      result.status = sol.status == conic::Status::max_iterations ? "max_iterations" : "numerical_error";
      result.message = "FP step " + std::to_string(it + 1) + ": conic solver returned " + conic::to_string(sol.status) + " " + sol.message;
      break;
    }
    const DigitalStepPoint p = decode_digital_step(data, sol.x);
    Eigen::MatrixXcd W_new = std::sqrt(P) * Q * p.V;
    Eigen::MatrixXcd R_new = options.sensing_covariance ? Eigen::MatrixXcd(P * Q * psd_part(p.X) * Q.adjoint())
                                                        : Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
    // Solver tolerance can overshoot the budget by ~1e-8 relative: scale back onto it.
    const double power = W_new.squaredNorm() + R_new.trace().real();
    if (power > P) {
      W_new *= std::sqrt(P / power);
      R_new *= P / power;
    }
    W = W_new;
    R_s = R_new;
    ++result.iterations;
    const double new_rate = sum_rate(view, W, R_s);
    result.objective_trace.push_back(new_rate);
    const bool converged = std::abs(new_rate - rate) <= options.delta * std::max(std::abs(rate), 1e-12);
    rate = new_rate;
    if (converged) {
      result.status = "optimal";
      break;
    }
  }
  result.W = W;
  result.R_s = R_s;
  return result;
}

}  // namespace isacbf::model_b
