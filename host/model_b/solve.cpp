#include "host/model_b/solve.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_b/comm_only.hpp"
#include "host/model_b/had_design.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/mo_altmin.hpp"
#include "host/model_b/rank_reduction.hpp"

namespace isacbf::model_b {

const std::vector<std::string>& scheme_names() {
  static const std::vector<std::string> names{"digital",           "comm_only",      "comm_only_strict",
                                              "comm_only_carrier", "an_upper_bound", "had",
                                              "decomposed_had"};
  return names;
}

namespace {

struct SchemeOutcome {
  std::string status, message;
  Design design;
  int iterations = 0;
  std::vector<double> trace;
  int sensing_beams = 0;
  nlohmann::json extra = nlohmann::json::object();
};

// Digital design + purification of R_s + explicit beams, re-checked on the design constraints.
SchemeOutcome digital(const Instance& inst, conic::BatchSolver& solver, const FpOptions& fp) {
  SchemeOutcome out;
  const FpResult r = run_digital_fp(inst, solver, fp);
  out.status = r.status;
  out.message = r.message;
  out.iterations = r.iterations;
  out.trace = r.objective_trace;
  out.extra["xi"] = r.xi;
  out.extra["initial_point_feasible"] = r.initial_point_feasible;
  out.extra["feasibility_iterations"] = r.feasibility_iterations;
  out.extra["basis_dimension"] = r.basis_dimension;
  const int raw_rank = numerical_rank(r.R_s);
  const Eigen::MatrixXcd R = purify(r.R_s, sensing_functionals(inst));
  out.design.W = r.W;
  out.design.S = beams_from_covariance(R);
  const int purified_rank = static_cast<int>(out.design.S.cols());
  // First-order solvers leave eigenvalues of ~tolerance size that survive the 1e-6 count: keep the
  // fewest leading beams that still satisfy every design constraint and lose < 1e-4 of the sum rate.
  if (purified_rank > 1) {
    const Instance view = design_view(inst);
    const double full_rate = evaluate(view, design_from_beams(view, r.W, out.design.S)).sum_rate;
    const double full_ratio = worst_constraint_ratio(inst, r.W, out.design.S * out.design.S.adjoint(), fp);
    for (int keep = 1; keep < purified_rank; ++keep) {
      const Eigen::MatrixXcd S = out.design.S.leftCols(keep);  // eigenvalues in descending order
      const double ratio = worst_constraint_ratio(inst, r.W, S * S.adjoint(), fp);
      if (ratio <= std::max(1 + 1e-5, full_ratio) && evaluate(view, design_from_beams(view, r.W, S)).sum_rate >= (1 - 1e-4) * full_rate) {
        out.design.S = S;
        break;
      }
    }
  }
  out.design.R_s = out.design.S * out.design.S.adjoint();
  out.sensing_beams = static_cast<int>(out.design.S.cols());
  out.extra["sensing_rank_before_reduction"] = raw_rank;
  out.extra["sensing_rank_after_purification"] = purified_rank;
  out.extra["design_constraint_ratio"] = worst_constraint_ratio(inst, out.design.W, out.design.R_s, fp);
  return out;
}

SchemeOutcome comm_only_carrier(const Instance& inst, conic::BatchSolver& solver, FpOptions fp) {
  SchemeOutcome best;
  best.status = "infeasible";
  double best_rate = -1;
  fp.sensing_covariance = false;
  for (int carrier = 0; carrier < inst.K; ++carrier) {
    fp.eve_on.assign(static_cast<std::size_t>(inst.J), std::vector<bool>(static_cast<std::size_t>(inst.K), true));
    for (auto& row : fp.eve_on) row[static_cast<std::size_t>(carrier)] = false;
    SchemeOutcome o = digital(inst, solver, fp);
    if (o.status == "infeasible") continue;
    const double rate = evaluate(inst, o.design).secrecy_rate;
    if (rate > best_rate) {
      best_rate = rate;
      best = std::move(o);
      best.extra["carrier"] = carrier;
    }
  }
  if (best_rate < 0) best.message = "every choice of the carrier stream is infeasible";
  return best;
}

int rf_chains(const Instance& inst, const SolveOptions& options) {
  const int n_rf = options.n_rf > 0 ? options.n_rf : inst.N_RF;
  if (n_rf < 1) throw InputError("N_RF", "hybrid schemes need N_RF >= 1 (instance N_RF or --n-rf)");
  if (n_rf > inst.Nt) throw InputError("N_RF", "must be <= Nt");
  return n_rf;
}

// Decomposed HAD [33]: the digital design [W S] approximated by F [W_BB S_BB] (MO-AltMin), scaled to P.
SchemeOutcome decomposed_had(const Instance& inst, conic::BatchSolver& solver, const FpOptions& fp, int n_rf) {
  SchemeOutcome out = digital(inst, solver, fp);
  if (out.status == "infeasible") return out;
  Eigen::MatrixXcd T(inst.Nt, out.design.W.cols() + out.design.S.cols());
  T << out.design.W, out.design.S;
  const AltMinResult alt = mo_altmin(T, n_rf);
  Eigen::MatrixXcd FB = alt.F * alt.B;
  FB *= std::sqrt(power_budget_W(inst)) / FB.norm();
  out.design.W = FB.leftCols(inst.K);
  out.design.S = FB.rightCols(T.cols() - inst.K);
  out.design.R_s = out.design.S * out.design.S.adjoint();
  out.extra["N_RF"] = n_rf;
  out.extra["altmin_rounds"] = alt.rounds;
  out.extra["altmin_relative_residual"] = alt.residual_trace.back() / T.norm();
  out.extra["design_constraint_ratio"] = worst_constraint_ratio(inst, out.design.W, out.design.R_s, fp);
  return out;
}

HadOptions had_options(const FpOptions& fp, int n_rf) {
  HadOptions o;
  o.n_rf = n_rf;
  o.delta = fp.delta;
  o.conic = had_conic_settings(fp.conic);
  return o;
}

SchemeOutcome had_outcome(const Instance& inst, const HadResult& r, const FpOptions& fp, int n_rf) {
  SchemeOutcome out;
  out.status = r.status;
  out.message = r.message;
  out.iterations = r.iterations;
  out.trace = r.objective_trace;
  out.design.W = r.W;
  out.design.S = r.S;
  out.design.R_s = r.S * r.S.adjoint();
  out.sensing_beams = static_cast<int>(r.S.cols());
  out.extra["N_RF"] = n_rf;
  out.extra["design_constraint_ratio"] = worst_constraint_ratio(inst, r.W, out.design.R_s, fp);
  return out;
}

SchemeOutcome had(const Instance& inst, conic::BatchSolver& solver, const FpOptions& fp, int n_rf) {
  return had_outcome(inst, run_had(inst, solver, had_options(fp, n_rf)), fp, n_rf);
}

// formats.md's model-B result for one instance's outcome.
nlohmann::json result_json(const Instance& inst, const std::string& scheme, SchemeOutcome& out, double seconds,
                           const std::string& backend, bool include_design) {
  if (out.design.W.size() == 0) out.design.W = Eigen::MatrixXcd::Zero(inst.Nt, inst.K);
  if (out.design.R_s.size() == 0) out.design.R_s = Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
  const Metrics m = evaluate(inst, out.design);
  std::vector<double> eve_db;
  for (double x : m.max_eve_sinr) eve_db.push_back(linear_to_db(x));
  std::vector<double> scnr_db;
  for (double x : m.scnr) scnr_db.push_back(linear_to_db(x));
  const SensingBeamBounds b = sensing_beam_bounds(inst.K, inst.J, static_cast<int>(inst.clutter.size()));
  nlohmann::json j = {{"model", kModelName},
                      {"scheme", scheme},
                      {"status", out.status},
                      {"secrecy_rate", m.secrecy_rate},
                      {"sum_rate", m.sum_rate},
                      {"rate_user", m.rate_user},
                      {"max_eve_sinr_dB", eve_db},
                      {"scnr_dB", scnr_db},
                      {"power_W", m.power_W},
                      {"iterations", out.iterations},
                      {"objective_trace", out.trace},
                      {"sensing_beams", out.sensing_beams},
                      {"sensing_beam_bound", b.worst_case},
                      {"sensing_beam_bounds",
                       {{"worst_case", b.worst_case}, {"dependent", b.dependent}, {"per_user", b.per_user},
                        {"rf_chains_needed", b.rf_chains_needed}}},
                      {"solve_seconds", seconds},
                      {"backend", backend}};
  if (!out.message.empty()) j["message"] = out.message;
  for (auto& [key, value] : out.extra.items()) j[key] = value;
  if (include_design) j["design"] = to_json(out.design);
  return j;
}

void check_scheme(const SolveOptions& options) {
  if (std::find(scheme_names().begin(), scheme_names().end(), options.scheme) == scheme_names().end())
    throw InputError("scheme", "unknown scheme '" + options.scheme + "'");
  if (options.n_rf < 0) throw InputError("n_rf", "must be >= 0");
}

const char* backend_name(const conic::BatchSolver& solver) { return solver.backend() == conic::Backend::gpu ? "gpu" : "cpu"; }

}  // namespace

nlohmann::json solve_instance(const Instance& inst, const SolveOptions& options) {
  validate(inst);
  check_scheme(options);
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<conic::BatchSolver> solver = options.solver ? options.solver : default_solver();
  SchemeOutcome out;
  const std::string& scheme = options.scheme;
  if (scheme == "digital") {
    out = digital(inst, *solver, options.fp);
  } else if (scheme == "comm_only" || scheme == "comm_only_strict") {
    FpOptions fp = options.fp;
    fp.sensing_covariance = false;
    if (scheme == "comm_only") {
      fp.eve_on.assign(static_cast<std::size_t>(inst.J), std::vector<bool>(static_cast<std::size_t>(inst.K), false));
      out = digital(inst, *solver, fp);
    } else {
      const conic::Solution cert = solver->solve({build_comm_only_relaxation(inst)}, options.fp.conic).front();
      if (cert.status == conic::Status::infeasible) {
        out.status = "infeasible";
        out.message = "certified infeasible: the Ns = 0 relaxation (comm_only.hpp) has no solution (" + cert.message + ")";
        out.design.W = Eigen::MatrixXcd::Zero(inst.Nt, inst.K);
        out.design.R_s = Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
      } else {
        out = digital(inst, *solver, fp);
      }
    }
  } else if (scheme == "comm_only_carrier") {
    out = comm_only_carrier(inst, *solver, options.fp);
  } else if (scheme == "an_upper_bound") {
    Instance perfect = inst;
    perfect.g_est = inst.g_true;
    perfect.theta_ae_est_deg = inst.theta_ae_deg;
    FpOptions fp = options.fp;
    fp.sensing_constraints = false;
    out = digital(perfect, *solver, fp);
  } else if (scheme == "had") {
    out = had(inst, *solver, options.fp, rf_chains(inst, options));
  } else if (scheme == "decomposed_had") {
    out = decomposed_had(inst, *solver, options.fp, rf_chains(inst, options));
  } else {
    throw InputError("scheme", "scheme '" + scheme + "' is not available in this build");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result_json(inst, scheme, out, seconds, backend_name(*solver), options.include_design);
}

void check_instance(const Instance& inst, const SolveOptions& options) {
  validate(inst);
  check_scheme(options);
  if (options.scheme == "had" || options.scheme == "decomposed_had") rf_chains(inst, options);
}

std::vector<nlohmann::json> solve_instances(const std::vector<Instance>& instances, const SolveOptions& options) {
  check_scheme(options);
  std::vector<nlohmann::json> out;
  if (options.scheme != "had" || (instances.size() <= 1 && !options.manifold)) {
    for (const Instance& inst : instances) out.push_back(solve_instance(inst, options));
    return out;
  }
  // HAD: every instance of one N_RF in one lockstep batch (run_had_batch).
  std::vector<int> n_rf(instances.size());
  for (std::size_t i = 0; i < instances.size(); ++i) {
    try {
      check_instance(instances[i], options);
      n_rf[i] = rf_chains(instances[i], options);
    } catch (const InputError& e) {
      throw e.nested_in("instances[" + std::to_string(i) + "]");
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<conic::BatchSolver> solver = options.solver ? options.solver : default_solver();
  std::shared_ptr<ManifoldBatchSolver> manifold = options.manifold ? options.manifold : make_cpu_manifold_solver();
  std::vector<HadResult> results(instances.size());
  std::map<int, std::vector<std::size_t>> by_rf;
  for (std::size_t i = 0; i < instances.size(); ++i) by_rf[n_rf[i]].push_back(i);
  for (const auto& [chains, members] : by_rf) {
    std::vector<Instance> group;
    for (std::size_t i : members) group.push_back(instances[i]);
    std::vector<HadResult> r = run_had_batch(group, *solver, *manifold, had_options(options.fp, chains));
    for (std::size_t k = 0; k < members.size(); ++k) results[members[k]] = std::move(r[k]);
  }
  // One wall time for the batch: each result reports its share.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(instances.size());
  const std::string backend = manifold->backend() == conic::Backend::gpu ? "gpu" : backend_name(*solver);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    SchemeOutcome o = had_outcome(instances[i], results[i], options.fp, n_rf[i]);
    nlohmann::json j = result_json(instances[i], "had", o, seconds, backend, options.include_design);
    j["batch_size"] = instances.size();
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace isacbf::model_b
