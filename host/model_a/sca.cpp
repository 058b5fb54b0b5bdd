#include "host/model_a/sca.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <utility>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/conic/grouped_solve.hpp"
#include "host/model_a/p4_builder.hpp"
#include "host/model_a/scaled_model.hpp"
#include "host/model_a/sensing_random.hpp"

namespace isacbf::model_a {

Scheme parse_scheme(const std::string& name) {
  if (name == "proposed") return Scheme::proposed;
  if (name == "s_random") return Scheme::s_random;
  if (name == "no_sensing_security") return Scheme::no_sensing_security;
  throw InputError("scheme", "must be proposed, s_random or no_sensing_security, got '" + name + "'");
}
const char* to_string(Scheme s) {
  switch (s) {
    case Scheme::proposed: return "proposed";
    case Scheme::s_random: return "s_random";
    case Scheme::no_sensing_security: return "no_sensing_security";
  }
  return "proposed";
}
ScaUpdate parse_sca_update(const std::string& name) {
  if (name == "paper") return ScaUpdate::paper;
  if (name == "tight") return ScaUpdate::tight;
  throw InputError("sca_update", "must be paper or tight, got '" + name + "'");
}
const char* to_string(ScaUpdate u) { return u == ScaUpdate::paper ? "paper" : "tight"; }

void ScaOptions::validate() const {
  if (!(delta > 0.0) || !std::isfinite(delta)) throw InputError("delta", "must be positive and finite");
  if (max_iterations < 1) throw InputError("max_iterations", "must be >= 1");
  if (s_random_draws < 1) throw InputError("s_random_draws", "must be >= 1");
  if (feasibility_anderson_memory < 0 || feasibility_anderson_memory > conic::kMaxAndersonMemory)
    throw InputError("feasibility_anderson_memory", "must be in [0, " + std::to_string(conic::kMaxAndersonMemory) + "]");
}

namespace {

constexpr double kLn2 = 0.69314718055994530942;

// Everything one instance carries through the loop.
struct Run {
  ProblemOptions problem;
  ScaledModel model;
  Blocks y;
  Expansion at;
  double f_prev = 0.0;
  conic::Solution last;     // last accepted P4 solution (warm start)
  bool active = false;
};

std::string status_name(conic::Status s) {
  return s == conic::Status::max_iterations ? "max_iterations" : "numerical_error";
}

ProblemOptions problem_options(const Instance& inst, const ScaOptions& o, std::size_t index, int draw) {
  ProblemOptions p;
  p.form = o.form;
  p.sensing_security = o.scheme != Scheme::no_sensing_security;
  if (o.scheme == Scheme::s_random) {
    const std::uint64_t key = (inst.seed ? *inst.seed : index) * 1000003ULL + static_cast<std::uint64_t>(draw);
    auto rng = sensing_rng(o.s_random_seed, key);
    p.fixed_S = draw_random_sensing_covariance(inst.Nt, std::pow(10.0, (inst.P_dBm - 30.0) / 10.0), rng);
  }
  return p;
}

// A solve stopped by its iteration cap is still used when its point is nearly feasible (the conic
// data are O(1), so an absolute bound is meaningful); the outcome then counts it as inaccurate and
// cannot end with status optimal.
constexpr double kUsableResidual = 1e-3;
// Every accepted point is re-checked on (27)-(29) (relative to each right-hand side) after PSD clipping.
constexpr double kConstraintTolerance = 1e-3;
// A solve stopped at its iteration cap that still left a whole, finite point.
bool capped_with_point(const conic::Solution& s, const conic::ConicProblem& p) {
  return s.status == conic::Status::max_iterations && s.x.size() == p.A.cols() && s.x.allFinite();
}
bool inaccurate_but_usable(const conic::Solution& s, const conic::ConicProblem& p) {
  return capped_with_point(s, p) && s.primal_residual <= kUsableResidual && s.dual_residual <= kUsableResidual * 10.0;
}

// The feasibility phase only needs a start that meets (27)-(29), which the caller re-checks: a solve
// stopped at its iteration cap serves as well as an optimal one (its objective, the start's log-rates,
// does not matter). At Nt 64, K 8 (eps 1e-5) the 8 of 16 instances that stopped there now end optimal
// (docs/model-a.md, "P4 takes the adaptive scale's trial steps").
bool usable_start(const conic::Solution& s, const conic::ConicProblem& p) {
  return s.status == conic::Status::optimal || capped_with_point(s, p);
}

// Feasibility phase for every run in `todo`; S Random redraws S for certified-infeasible draws.
// keys[i]: instance i's index in the caller's batch (keys S Random's draws of an instance without a seed).
void feasibility_phase(const std::vector<Instance>& instances, const std::vector<std::size_t>& keys, const ScaOptions& o,
                       conic::BatchSolver& solver, std::vector<Run>& runs, std::vector<ScaOutcome>& out) {
  conic::Settings settings = o.solver;
  settings.anderson_memory = o.feasibility_anderson_memory;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < runs.size(); ++i) todo.push_back(i);
  while (!todo.empty()) {
    std::vector<conic::ConicProblem> batch;
    for (auto i : todo) batch.push_back(build_feasibility(runs[i].model));
    const auto sol = conic::solve_grouped(solver, batch, settings);
    std::vector<std::size_t> again;
    for (std::size_t j = 0; j < todo.size(); ++j) {
      const auto i = todo[j];
      ++out[i].conic_solves;
      const bool solved = usable_start(sol[j], batch[j]);
      Blocks start = solved ? blocks_of(runs[i].model, sol[j].x) : Blocks{};
      if (solved && runs[i].model.constraint_violation(start) <= kConstraintTolerance) {
        runs[i].y = std::move(start);
        runs[i].at = tight_expansion(runs[i].model, runs[i].y);
        runs[i].active = true;
      } else if (o.scheme == Scheme::s_random && out[i].s_random_draws < o.s_random_draws) {
        // S Random: a draw that is infeasible (or that the solver cannot settle) is redrawn, and counted
        runs[i].problem = problem_options(instances[i], o, keys[i], out[i].s_random_draws);
        runs[i].model = make_scaled_model(instances[i], runs[i].problem, o.target_rescaling);
        ++out[i].s_random_draws;
        again.push_back(i);
      } else if (sol[j].status == conic::Status::infeasible) {
        out[i].status = "infeasible";
        out[i].message = "feasibility phase certified infeasible";
      } else {
        out[i].status = status_name(sol[j].status);
        out[i].message = std::string("feasibility phase: ") + conic::to_string(sol[j].status) + " " + sol[j].message;
        if (sol[j].status == conic::Status::optimal) out[i].message += "point violates the constraints";
      }
    }
    todo = std::move(again);
  }
}

// Warm start for the next P4: the previous point re-expressed around the new expansion point.
conic::WarmStart warm_start(const Run& r, const Expansion& old_at, const conic::ConicProblem& next) {
  const P4Layout L = p4_layout(r.model);
  const Eigen::VectorXd& x = r.last.x;
  std::vector<double> tau, eps, v;
  for (int k = 0; k < r.model.K; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    tau.push_back(old_at.tau_ref[kk] + x[L.t(k)]);
    eps.push_back(old_at.eps[kk] + x[L.e(k)]);
    v.push_back(old_at.v_ref[kk] + x[L.v(k)]);
  }
  conic::WarmStart ws;
  ws.x = p4_point(r.model, r.at, r.y, tau, eps, v, old_at.u + x[L.w()]);
  ws.s = next.b - next.A * ws.x;
  ws.y = r.last.y;
  if (ws.y.size() != next.b.size()) ws.y.resize(0);
  return ws;
}

// Algorithm 1 for a batch in lockstep rounds: every round's P4s go to the solver together.
std::vector<ScaOutcome> run_sca_lockstep(const std::vector<Instance>& instances, const std::vector<std::size_t>& keys,
                                         const ScaOptions& o, conic::BatchSolver& solver) {
  std::vector<ScaOutcome> out(instances.size());
  std::vector<Run> runs(instances.size());
  for (std::size_t i = 0; i < instances.size(); ++i) {
    runs[i].problem = problem_options(instances[i], o, keys[i], 0);
    runs[i].model = make_scaled_model(instances[i], runs[i].problem, o.target_rescaling);
    if (o.scheme == Scheme::s_random) out[i].s_random_draws = 1;
  }
  feasibility_phase(instances, keys, o, solver, runs, out);

  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].active) continue;
    Run& r = runs[i];
    double f0 = 0.0;  // surrogate at the start equals the true objective (tight expansion)
    for (int k = 0; k < r.model.K; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      f0 += r.at.tau_ref[kk] - r.at.eps[kk] - r.at.u + r.at.v_ref[kk];
    }
    r.f_prev = f0;
    out[i].objective_trace.push_back(f0 / kLn2);
    out[i].secrecy_rate_trace.push_back(r.model.secrecy_rate(r.y));
    out[i].has_design = true;
    out[i].design = to_design(r.model, r.y, r.problem);
    out[i].start = out[i].design;
    if (o.feasibility_only) {
      out[i].status = out[i].inaccurate_solves == 0 ? "optimal" : "max_iterations";
      r.active = false;
    }
  }

  std::vector<std::optional<Expansion>> prev_at(runs.size());
  for (int iter = 1; iter <= o.max_iterations; ++iter) {
    std::vector<std::size_t> act;
    std::vector<conic::ConicProblem> batch;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (!runs[i].active) continue;
      try {  // non-finite data from a bad iterate stops this instance only
        batch.push_back(build_p4(runs[i].model, runs[i].at));
        act.push_back(i);
      } catch (const InputError& e) {
        runs[i].active = false;
        out[i].status = "numerical_error";
        out[i].message = "P4 at SCA iteration " + std::to_string(iter) + " not built: " + e.what();
      }
    }
    if (act.empty()) break;
    std::vector<conic::WarmStart> warm(act.size());
    for (std::size_t j = 0; j < act.size(); ++j) {
      const Run& r = runs[act[j]];
      if (prev_at[act[j]]) {
        if (o.warm_start) warm[j] = warm_start(r, *prev_at[act[j]], batch[j]);
      } else if (o.primal_start) {  // first P4: the feasible start itself (all deviations zero), primal only
        warm[j].x = p4_point(r.model, r.at, r.y, r.at.tau_ref, r.at.eps, r.at.v_ref, r.at.u);
        warm[j].s = batch[j].b - batch[j].A * warm[j].x;
      }
    }
    const auto sol = conic::solve_grouped(solver, batch, o.solver, warm);
    for (std::size_t j = 0; j < act.size(); ++j) {
      const auto i = act[j];
      Run& r = runs[i];
      ScaOutcome& res = out[i];
      ++res.conic_solves;
      const bool solved = sol[j].status == conic::Status::optimal || inaccurate_but_usable(sol[j], batch[j]);
      const Blocks y = solved ? blocks_of(r.model, sol[j].x) : Blocks{};
      const bool usable = solved && r.model.constraint_violation(y) <= kConstraintTolerance;
      if (!usable) {
        r.active = false;
        res.status = status_name(sol[j].status);
        res.message = "P4 at SCA iteration " + std::to_string(iter) + ": " + conic::to_string(sol[j].status) + " " + sol[j].message;
        if (sol[j].status == conic::Status::optimal || sol[j].status == conic::Status::max_iterations)
          res.message += " (point rejected: constraints (27)-(29) violated beyond 1e-3)";
        continue;
      }
      if (sol[j].status != conic::Status::optimal) ++res.inaccurate_solves;
      res.iterations = iter;
      const double f = p4_objective(r.model, r.at, sol[j].x);
      const Expansion next = o.update == ScaUpdate::paper ? paper_expansion(r.model, r.at, sol[j].x, y)
                                                          : tight_expansion(r.model, y);
      prev_at[i] = r.at;
      r.last = sol[j];
      r.y = y;
      r.at = next;
      res.objective_trace.push_back(f / kLn2);
      res.secrecy_rate_trace.push_back(r.model.secrecy_rate(y));
      res.design = to_design(r.model, y, r.problem);
      const bool converged = std::abs(f - r.f_prev) <= o.delta * std::abs(r.f_prev);
      r.f_prev = f;
      if (converged) {
        res.status = res.inaccurate_solves == 0 ? "optimal" : "max_iterations";
        if (res.inaccurate_solves > 0)
          res.message = std::to_string(res.inaccurate_solves) + " conic solve(s) stopped at the solver's iteration cap";
        r.active = false;
      } else if (iter == o.max_iterations) {
        res.status = "max_iterations";
        res.message = "SCA iteration cap reached";
        r.active = false;
      }
    }
  }
  return out;
}

}  // namespace

std::vector<ScaOutcome> run_sca(const std::vector<Instance>& instances, const ScaOptions& o, conic::BatchSolver& solver) {
  o.validate();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<ScaOutcome> out;
  if (instances.size() > 1 && solver.concurrent_single_calls()) {
    // The CPU reference: each instance on its own thread, so no round waits for the slowest P4 or for
    // an instance that needs more SCA iterations. Same results as the rounds (each P4 is solved alone
    // either way); the S Random draws stay keyed by the batch index.
    out.resize(instances.size());
    ScaOptions alone = o;
    alone.solver.threads = 1;
    parallel_for(
        instances.size(), [&](std::size_t i) { out[i] = run_sca_lockstep({instances[i]}, {i}, alone, solver).front(); },
        o.solver.threads);
  } else {
    std::vector<std::size_t> keys(instances.size());
    for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = i;
    out = run_sca_lockstep(instances, keys, o, solver);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& res : out) res.seconds = instances.empty() ? 0.0 : secs / static_cast<double>(instances.size());
  return out;
}

}  // namespace isacbf::model_a
