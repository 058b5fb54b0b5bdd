#include "host/model_b/digital_fp.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/common/units.hpp"
#include "host/conic/grouped_solve.hpp"
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

namespace {

void check_fp_options(const Instance& inst, const FpOptions& options) {
  validate(inst);
  if (!(options.delta > 0) || !std::isfinite(options.delta)) throw InputError("delta", "must be positive and finite");
  if (options.max_iterations < 1) throw InputError("max_iterations", "must be >= 1");
  if (options.xi_grid < 1) throw InputError("xi_grid", "must be >= 1");
  if (!options.eve_on.empty()) {
    if (static_cast<int>(options.eve_on.size()) != inst.J) throw InputError("eve_on", "expected J rows");
    for (const auto& row : options.eve_on)
      if (static_cast<int>(row.size()) != inst.K) throw InputError("eve_on", "expected K entries per row");
  }
}

// One design in progress: Algorithm 1 split at its conic solve, so that a batch can send every
// design's step to the solver in one call. next_step() builds the problem to solve, take() consumes
// its solution; the sequence of steps is the same whether the run is alone or in a batch.
class FpRun {
 public:
  FpRun(const Instance& inst, const FpOptions& options)
      : inst_(checked(inst, options)), options_(options), view_(design_view(inst)), P_(power_budget_W(inst)), Q_(design_basis(inst)) {
    result_.basis_dimension = static_cast<int>(Q_.cols());
    const InitialPoint init = initial_point(inst, options);
    result_.xi = init.xi;
    result_.initial_point_feasible = init.feasible;
    W_ = init.W;
    R_s_ = init.S * init.S.adjoint();
    // Reduced, scaled data (digital_step.hpp).
    data_.d = static_cast<int>(Q_.cols());
    data_.K = inst.K;
    for (int k = 0; k < inst.K; ++k) data_.h.push_back(std::sqrt(P_ / sigma2(inst)) * Q_.adjoint() * inst.h[static_cast<std::size_t>(k)]);
    for (int j = 0; j < inst.J; ++j) data_.g.push_back(std::sqrt(P_ / sigma_e2(inst)) * Q_.adjoint() * inst.g_est[static_cast<std::size_t>(j)]);
    for (int j = 0; j < inst.J; ++j) data_.a.push_back(Q_.adjoint() * steering_vector_deg(inst.Nt, view_.theta_ae_deg[static_cast<std::size_t>(j)]));
    for (const auto& c : inst.clutter) data_.a.push_back(Q_.adjoint() * steering_vector_deg(inst.Nt, c.theta_deg));
    data_.Gamma_e = db_to_linear(inst.Gamma_e_dB);
    data_.Gamma_s = db_to_linear(inst.Gamma_s_dB);
    data_.eve_on = options.eve_on;
    data_.sensing_constraints = options.sensing_constraints && inst.J > 0;
    data_.has_sensing_covariance = options.sensing_covariance;
    // Feasibility phase when no xi on the grid is feasible: minimise the SCNR slack over successive
    // Taylor restrictions (always feasible problems) until a point with every constraint holds.
    if (!result_.initial_point_feasible && data_.sensing_constraints && options.max_feasibility_iterations > 0) {
      phase_ = Phase::feasibility;
      data_.feasibility_phase = true;
    } else {
      start_fp();
    }
  }

  const conic::Settings& settings() const { return options_.conic; }

  // The conic step to solve next; false once the design is finished.
  bool next_step(conic::ConicProblem& problem) {
    if (phase_ == Phase::done) return false;
    const Eigen::MatrixXcd R_x = W_ * W_.adjoint() + R_s_;
    if (data_.sensing_constraints) data_.coef = sensing_coefficients(view_, mvdr_receivers(view_, R_x, Csi::truth));
    data_.V0 = Q_.adjoint() * W_ / std::sqrt(P_);
    update_auxiliaries(data_, data_.V0, Q_.adjoint() * R_s_ * Q_ / P_);
    problem = build_digital_step(data_);
    return true;
  }

  void take(const conic::Solution& sol) {
    if (phase_ == Phase::feasibility) {
      take_feasibility_step(sol);
    } else {
      take_fp_step(sol);
    }
  }

  FpResult result() const {
    FpResult r = result_;
    r.W = W_;
    r.R_s = R_s_;
    return r;
  }

 private:
  enum class Phase { feasibility, fp, done };

  static const Instance& checked(const Instance& inst, const FpOptions& options) {
    check_fp_options(inst, options);
    return inst;
  }

  void start_fp() {
    data_.feasibility_phase = false;
    rate_ = sum_rate(view_, W_, R_s_);
    result_.objective_trace.push_back(rate_);
    result_.status = "max_iterations";
    phase_ = Phase::fp;
  }

  void take_feasibility_step(const conic::Solution& sol) {
    ++result_.feasibility_iterations;
    if (sol.status != conic::Status::optimal) return start_fp();
    const DigitalStepPoint p = decode_digital_step(data_, sol.x);
    W_ = std::sqrt(P_) * Q_ * p.V;
    R_s_ = options_.sensing_covariance ? Eigen::MatrixXcd(P_ * Q_ * psd_part(p.X) * Q_.adjoint())
                                       : Eigen::MatrixXcd::Zero(inst_.Nt, inst_.Nt);
    if (worst_constraint_ratio(inst_, W_, R_s_, options_) <= 1.0 + 1e-9) {
      result_.feasible_point_found = true;
      return start_fp();
    }
    // Stalled: the slack no longer falls by 1 % per step (e.g. two AEs closer than the resolution).
    if (sol.primal_objective > 0.99 * last_slack_ || result_.feasibility_iterations >= options_.max_feasibility_iterations)
      return start_fp();
    last_slack_ = sol.primal_objective;
  }

  void take_fp_step(const conic::Solution& sol) {
    const int step = result_.iterations + 1;
    if (sol.status == conic::Status::infeasible) {
      result_.status = "infeasible";
      const bool started_feasible = result_.initial_point_feasible || result_.feasible_point_found;
      result_.message = "FP step " + std::to_string(step) + ": conic step certified infeasible (" + sol.message + ")" +
                        (started_feasible ? "" : "; no feasible point found (xi grid and feasibility phase): the certificate "
                                                 "covers the Taylor restriction, not problem (15)");
      phase_ = Phase::done;
      return;
    }
    if (sol.status != conic::Status::optimal) {
      result_.status = sol.status == conic::Status::max_iterations ? "max_iterations" : "numerical_error";
      result_.message = "FP step " + std::to_string(step) + ": conic solver returned " + conic::to_string(sol.status) + " " + sol.message;
      phase_ = Phase::done;
      return;
    }
    const DigitalStepPoint p = decode_digital_step(data_, sol.x);
    Eigen::MatrixXcd W_new = std::sqrt(P_) * Q_ * p.V;
    Eigen::MatrixXcd R_new = options_.sensing_covariance ? Eigen::MatrixXcd(P_ * Q_ * psd_part(p.X) * Q_.adjoint())
                                                         : Eigen::MatrixXcd::Zero(inst_.Nt, inst_.Nt);
    // Solver tolerance can overshoot the budget by ~1e-8 relative: scale back onto it.
    const double power = W_new.squaredNorm() + R_new.trace().real();
    if (power > P_) {
      W_new *= std::sqrt(P_ / power);
      R_new *= P_ / power;
    }
    W_ = W_new;
    R_s_ = R_new;
    ++result_.iterations;
    const double new_rate = sum_rate(view_, W_, R_s_);
    result_.objective_trace.push_back(new_rate);
    const bool converged = std::abs(new_rate - rate_) <= options_.delta * std::max(std::abs(rate_), 1e-12);
    rate_ = new_rate;
    if (converged) {
      result_.status = "optimal";
      phase_ = Phase::done;
    } else if (result_.iterations >= options_.max_iterations) {
      phase_ = Phase::done;
    }
  }

  const Instance& inst_;
  const FpOptions& options_;
  const Instance view_;
  const double P_;
  const Eigen::MatrixXcd Q_;
  FpResult result_;
  DigitalStepData data_;
  Eigen::MatrixXcd W_, R_s_;
  Phase phase_ = Phase::fp;
  double rate_ = 0.0;
  double last_slack_ = INFINITY;
};

}  // namespace

FpResult run_digital_fp(const Instance& inst, conic::BatchSolver& solver, const FpOptions& options) {
  FpRun run(inst, options);
  conic::ConicProblem problem;
  while (run.next_step(problem)) run.take(solver.solve({problem}, options.conic).front());
  return run.result();
}

std::vector<FpResult> run_digital_fp_batch(const std::vector<FpJob>& jobs, conic::BatchSolver& solver) {
  std::vector<FpRun> runs;
  runs.reserve(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    try {
      runs.emplace_back(jobs[i].instance, jobs[i].options);
    } catch (const InputError& e) {
      throw e.nested_in("jobs[" + std::to_string(i) + "]");
    }
  }
  if (solver.concurrent_single_calls() && !runs.empty()) {
    // Each design on its own thread, one problem per call: no round waits for the slowest design.
    parallel_for(
        runs.size(),
        [&](std::size_t i) {
          conic::Settings alone = runs[i].settings();
          alone.threads = 1;
          conic::ConicProblem problem;
          while (runs[i].next_step(problem)) runs[i].take(solver.solve({problem}, alone).front());
        },
        jobs.front().options.conic.threads);
  }
  for (;;) {  // lockstep rounds (a batching solver, or nothing left after the threads above)
    std::vector<std::size_t> active;
    std::vector<conic::ConicProblem> problems;
    std::vector<conic::Settings> settings;
    conic::ConicProblem problem;
    for (std::size_t i = 0; i < runs.size(); ++i)
      if (runs[i].next_step(problem)) {
        active.push_back(i);
        problems.push_back(std::move(problem));
        settings.push_back(runs[i].settings());
      }
    if (active.empty()) break;
    // One solver call per distinct cone shape and conic settings (a GPU batch must share its cones).
    const std::vector<conic::Solution> solutions = conic::solve_grouped(solver, problems, settings);
    for (std::size_t a = 0; a < active.size(); ++a) runs[active[a]].take(solutions[a]);
  }
  std::vector<FpResult> results;
  results.reserve(runs.size());
  for (const FpRun& run : runs) results.push_back(run.result());
  return results;
}

}  // namespace isacbf::model_b
