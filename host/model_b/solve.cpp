#include "host/model_b/solve.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/common/units.hpp"
#include "host/conic/grouped_solve.hpp"
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
SchemeOutcome digital_outcome(const Instance& inst, const FpResult& r, const FpOptions& fp) {
  SchemeOutcome out;
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

int rf_chains(const Instance& inst, const SolveOptions& options) {
  const int n_rf = options.n_rf > 0 ? options.n_rf : inst.N_RF;
  if (n_rf < 1) throw InputError("N_RF", "hybrid schemes need N_RF >= 1 (instance N_RF or --n-rf)");
  if (n_rf > inst.Nt) throw InputError("N_RF", "must be <= Nt");
  return n_rf;
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

// ---- the schemes, each over a whole batch (lockstep: every round's conic steps in one solver call)

struct Batch {
  const std::vector<Instance>& instances;
  const SolveOptions& options;
  conic::BatchSolver& solver;
  ManifoldBatchSolver& manifold;
  const std::vector<int>& n_rf;  // hybrid schemes: RF chains of each instance
};

// Runs the digital design of every job and post-processes each (digital_outcome).
std::vector<SchemeOutcome> digital_batch(const std::vector<FpJob>& jobs, conic::BatchSolver& solver) {
  const std::vector<FpResult> results = run_digital_fp_batch(jobs, solver);
  std::vector<SchemeOutcome> out(jobs.size());
  parallel_for(jobs.size(), [&](std::size_t i) { out[i] = digital_outcome(jobs[i].instance, results[i], jobs[i].options); });
  return out;
}

std::vector<FpJob> jobs_with(const std::vector<Instance>& instances, const FpOptions& fp) {
  std::vector<FpJob> jobs;
  for (const Instance& inst : instances) jobs.push_back({inst, fp});
  return jobs;
}

FpOptions without_sensing_signal(FpOptions fp) {
  fp.sensing_covariance = false;
  return fp;
}

// Ns = 0 and (15a) dropped: every AE may hear every stream.
std::vector<SchemeOutcome> comm_only(const Batch& b) {
  std::vector<FpJob> jobs;
  for (const Instance& inst : b.instances) {
    FpOptions fp = without_sensing_signal(b.options.fp);
    fp.eve_on.assign(static_cast<std::size_t>(inst.J), std::vector<bool>(static_cast<std::size_t>(inst.K), false));
    jobs.push_back({inst, fp});
  }
  return digital_batch(jobs, b.solver);
}

// Ns = 0 with (15a) kept: the convex relaxation certifies infeasibility; otherwise the digital design.
std::vector<SchemeOutcome> comm_only_strict(const Batch& b) {
  std::vector<conic::ConicProblem> relaxations;
  for (const Instance& inst : b.instances) relaxations.push_back(build_comm_only_relaxation(inst));
  const std::vector<conic::Solution> certs = conic::solve_grouped(b.solver, relaxations, b.options.fp.conic);
  std::vector<SchemeOutcome> out(b.instances.size());
  std::vector<FpJob> jobs;
  std::vector<std::size_t> designed;
  for (std::size_t i = 0; i < b.instances.size(); ++i) {
    const Instance& inst = b.instances[i];
    if (certs[i].status == conic::Status::infeasible) {
      out[i].status = "infeasible";
      out[i].message = "certified infeasible: the Ns = 0 relaxation (comm_only.hpp) has no solution (" + certs[i].message + ")";
      out[i].design.W = Eigen::MatrixXcd::Zero(inst.Nt, inst.K);
      out[i].design.R_s = Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
    } else {
      jobs.push_back({inst, without_sensing_signal(b.options.fp)});
      designed.push_back(i);
    }
  }
  std::vector<SchemeOutcome> digital = digital_batch(jobs, b.solver);
  for (std::size_t d = 0; d < designed.size(); ++d) out[designed[d]] = std::move(digital[d]);
  return out;
}

// Ns = 0, (15a) on every stream but one carrier of the sensing illumination: the best carrier of K.
std::vector<SchemeOutcome> comm_only_carrier(const Batch& b) {
  std::vector<FpJob> jobs;
  std::vector<std::size_t> first_job;  // instance i's carriers are jobs first_job[i] .. + K_i - 1
  for (const Instance& inst : b.instances) {
    first_job.push_back(jobs.size());
    for (int carrier = 0; carrier < inst.K; ++carrier) {
      FpOptions fp = without_sensing_signal(b.options.fp);
      fp.eve_on.assign(static_cast<std::size_t>(inst.J), std::vector<bool>(static_cast<std::size_t>(inst.K), true));
      for (auto& row : fp.eve_on) row[static_cast<std::size_t>(carrier)] = false;
      jobs.push_back({inst, fp});
    }
  }
  std::vector<SchemeOutcome> designs = digital_batch(jobs, b.solver);
  std::vector<SchemeOutcome> out(b.instances.size());
  for (std::size_t i = 0; i < b.instances.size(); ++i) {
    const Instance& inst = b.instances[i];
    SchemeOutcome& best = out[i];
    best.status = "infeasible";
    double best_rate = -1;
    for (int carrier = 0; carrier < inst.K; ++carrier) {
      SchemeOutcome& o = designs[first_job[i] + static_cast<std::size_t>(carrier)];
      if (o.status == "infeasible") continue;
      const double rate = evaluate(inst, o.design).secrecy_rate;
      if (rate > best_rate) {
        best_rate = rate;
        best = std::move(o);
        best.extra["carrier"] = carrier;
      }
    }
    if (best_rate < 0) best.message = "every choice of the carrier stream is infeasible";
  }
  return out;
}

// AN-aided design with the TRUE AE CSI and no SCNR constraint: a sum-rate upper bound.
std::vector<SchemeOutcome> an_upper_bound(const Batch& b) {
  FpOptions fp = b.options.fp;
  fp.sensing_constraints = false;
  std::vector<FpJob> jobs;
  for (const Instance& inst : b.instances) {
    Instance perfect = inst;
    perfect.g_est = inst.g_true;
    perfect.theta_ae_est_deg = inst.theta_ae_deg;
    jobs.push_back({perfect, fp});
  }
  return digital_batch(jobs, b.solver);
}

// Instance indices grouped by their RF chains (one lockstep batch per N_RF).
std::map<int, std::vector<std::size_t>> by_rf_chains(const std::vector<int>& n_rf) {
  std::map<int, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < n_rf.size(); ++i) groups[n_rf[i]].push_back(i);
  return groups;
}

// Decomposed HAD [33]: each digital design [W S] approximated by F [W_BB S_BB] (MO-AltMin, one
// lockstep batch per N_RF on the manifold backend), scaled to P.
std::vector<SchemeOutcome> decomposed_had(const Batch& b) {
  std::vector<SchemeOutcome> out = digital_batch(jobs_with(b.instances, b.options.fp), b.solver);
  for (const auto& [chains, members] : by_rf_chains(b.n_rf)) {
    std::vector<std::size_t> fitted;
    std::vector<Eigen::MatrixXcd> targets;
    for (std::size_t i : members) {
      if (out[i].status == "infeasible") continue;
      Eigen::MatrixXcd T(b.instances[i].Nt, out[i].design.W.cols() + out[i].design.S.cols());
      T << out[i].design.W, out[i].design.S;
      fitted.push_back(i);
      targets.push_back(std::move(T));
    }
    const std::vector<AltMinResult> fits = mo_altmin_batch(targets, chains, b.manifold);
    for (std::size_t f = 0; f < fitted.size(); ++f) {
      const Instance& inst = b.instances[fitted[f]];
      SchemeOutcome& o = out[fitted[f]];
      const AltMinResult& alt = fits[f];
      Eigen::MatrixXcd FB = alt.F * alt.B;
      FB *= std::sqrt(power_budget_W(inst)) / FB.norm();
      o.design.W = FB.leftCols(inst.K);
      o.design.S = FB.rightCols(targets[f].cols() - inst.K);
      o.design.R_s = o.design.S * o.design.S.adjoint();
      o.extra["N_RF"] = chains;
      o.extra["altmin_rounds"] = alt.rounds;
      o.extra["altmin_relative_residual"] = alt.residual_trace.back() / targets[f].norm();
      o.extra["design_constraint_ratio"] = worst_constraint_ratio(inst, o.design.W, o.design.R_s, b.options.fp);
    }
  }
  return out;
}

// Proposed HAD: every instance of one N_RF in one lockstep batch (run_had_batch).
std::vector<SchemeOutcome> had(const Batch& b) {
  std::vector<SchemeOutcome> out(b.instances.size());
  for (const auto& [chains, members] : by_rf_chains(b.n_rf)) {
    std::vector<Instance> group;
    for (std::size_t i : members) group.push_back(b.instances[i]);
    const std::vector<HadResult> r = run_had_batch(group, b.solver, b.manifold, had_options(b.options.fp, chains));
    for (std::size_t k = 0; k < members.size(); ++k) out[members[k]] = had_outcome(group[k], r[k], b.options.fp, chains);
  }
  return out;
}

std::vector<SchemeOutcome> run_scheme(const Batch& b) {
  const std::string& scheme = b.options.scheme;
  if (scheme == "digital") return digital_batch(jobs_with(b.instances, b.options.fp), b.solver);
  if (scheme == "comm_only") return comm_only(b);
  if (scheme == "comm_only_strict") return comm_only_strict(b);
  if (scheme == "comm_only_carrier") return comm_only_carrier(b);
  if (scheme == "an_upper_bound") return an_upper_bound(b);
  if (scheme == "had") return had(b);
  if (scheme == "decomposed_had") return decomposed_had(b);
  throw InputError("scheme", "scheme '" + scheme + "' is not available in this build");
}

bool hybrid(const std::string& scheme) { return scheme == "had" || scheme == "decomposed_had"; }

// The checked instances' results: one batch, each result with its share of the wall time.
std::vector<nlohmann::json> solve_checked(const std::vector<Instance>& instances, const SolveOptions& options,
                                          const std::vector<int>& n_rf) {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<conic::BatchSolver> solver = options.solver ? options.solver : default_solver();
  std::shared_ptr<ManifoldBatchSolver> manifold = options.manifold ? options.manifold : make_cpu_manifold_solver();
  std::vector<SchemeOutcome> outcomes = run_scheme(Batch{instances, options, *solver, *manifold, n_rf});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(instances.size());
  const bool manifold_on_gpu = hybrid(options.scheme) && manifold->backend() == conic::Backend::gpu;
  const std::string backend = manifold_on_gpu ? "gpu" : backend_name(*solver);
  std::vector<nlohmann::json> out;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    nlohmann::json j = result_json(instances[i], options.scheme, outcomes[i], seconds, backend, options.include_design);
    if (instances.size() > 1) j["batch_size"] = instances.size();
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

void check_instance(const Instance& inst, const SolveOptions& options) {
  validate(inst);
  check_scheme(options);
  if (hybrid(options.scheme)) rf_chains(inst, options);
}

nlohmann::json solve_instance(const Instance& inst, const SolveOptions& options) {
  check_instance(inst, options);
  const std::vector<int> n_rf{hybrid(options.scheme) ? rf_chains(inst, options) : 0};
  return solve_checked({inst}, options, n_rf).front();
}

std::vector<nlohmann::json> solve_instances(const std::vector<Instance>& instances, const SolveOptions& options) {
  check_scheme(options);
  std::vector<int> n_rf(instances.size(), 0);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    try {
      check_instance(instances[i], options);
      if (hybrid(options.scheme)) n_rf[i] = rf_chains(instances[i], options);
    } catch (const InputError& e) {
      throw e.nested_in("instances[" + std::to_string(i) + "]");
    }
  }
  if (instances.empty()) return {};
  return solve_checked(instances, options, n_rf);
}

}  // namespace isacbf::model_b
