// `isacbf conic FILE... [--backend cpu|gpu]`: solve SDPA sparse (.dat-s) or CBF (.cbf) problems with the
// conic ADMM (the CPU reference, or the GPU backend) as one batch and print one JSON object per file:
// status, objective (in the file's own convention: SDPA's c^T x; CBF's sense and constant),
// dual_objective, iterations, seconds, primal_residual, dual_residual, gap, linear_solver, backend, ...
// (a JSON array, in the order given, for several files). --solution adds the point in the file's terms
// and --warm-start reads such an output back as the starting point (apps/conic_input.hpp).
// Bad file or option -> exit 2; --backend gpu without a device -> exit 3.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/command.hpp"
#include "apps/conic_input.hpp"
#include "apps/gpu_device_option.hpp"
#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/memory_estimate.hpp"

namespace {

struct ConicOptions {
  std::vector<std::string> files;
  double tol = -1.0;
  isacbf::conic::Settings settings;
  int anderson_type = 2;
  std::string backend = "cpu";
  std::string gpu_eig = "auto";
  bool solution = false;
  std::string warm_start;
  std::string format = "auto";
};

// Refuses a batch whose estimated memory exceeds the limit (host/conic/memory_estimate.hpp), before the
// solver allocates anything. The CPU backend solves --threads instances at once; the GPU backend holds the
// whole batch.
void check_memory(const std::vector<isacbf::conic::ConicProblem>& problems, const isacbf::conic::Settings& st,
                  isacbf::conic::Backend backend) {
  const std::size_t concurrent = backend == isacbf::conic::Backend::cpu
                                     ? isacbf::conic::concurrent_instances(st, problems.size())
                                     : problems.size();
  const double need = isacbf::conic::estimated_batch_memory_bytes(problems, st, concurrent);
  const double limit = isacbf::conic::memory_limit_bytes(st);
  if (limit > 0.0 && need > limit) {
    char text[240];
    std::snprintf(text, sizeof text, "the batch needs about %.3g GB by estimate (%zu of %zu instances at once), above the limit of %.3g GB (%s)",
                  need / 1e9, concurrent, problems.size(), limit / 1e9,
                  st.memory_limit_gb > 0.0 ? "--memory-limit" : "this machine's memory; --memory-limit sets another");
    throw isacbf::InputError("memory", text);
  }
}

// One file's result object.
nlohmann::json result_json(const isacbf::apps::ConicInput& in, const isacbf::conic::ConicProblem& p, const isacbf::conic::Solution& s,
                           isacbf::conic::Backend backend) {
  using namespace isacbf::conic;
  const bool has_point = s.status == Status::optimal || s.status == Status::max_iterations;
  nlohmann::json j;
  j["file"] = in.path;
  j["status"] = to_string(s.status);
  j["objective"] = has_point ? isacbf::apps::finite_or_null(in.objective(s.primal_objective)) : nlohmann::json(nullptr);
  j["dual_objective"] = has_point ? isacbf::apps::finite_or_null(in.objective(s.dual_objective)) : nlohmann::json(nullptr);
  j["iterations"] = s.iterations;
  j["seconds"] = s.seconds;
  j["primal_residual"] = s.primal_residual;
  j["dual_residual"] = s.dual_residual;
  j["gap"] = s.gap;
  j["linear_solver"] = s.linear_solver;
  j["backend"] = to_string(backend);
  j["rows"] = p.A.rows();
  j["variables"] = p.A.cols();
  j["scale"] = s.scale;
  j["scale_updates"] = s.scale_updates;
  j["anderson_accepted"] = s.anderson_accepted;
  j["anderson_rejected"] = s.anderson_rejected;
  j["message"] = s.message;
  return j;
}

// The bound on a file's declared rows + columns: the solver's iterate vectors alone, (2 memory + 10)
// doubles per row and column (memory_estimate.hpp), may not pass the memory limit.
isacbf::conic::DeclaredSizeLimit declared_size_limit(const isacbf::conic::Settings& st) {
  const double limit = isacbf::conic::memory_limit_bytes(st), per_entry = isacbf::conic::iterate_bytes_per_entry(st);
  if (!(limit > 0.0)) return {};
  char reason[120];
  std::snprintf(reason, sizeof reason, "%s of %.3g GB, at %.0f bytes per row and column",
                st.memory_limit_gb > 0.0 ? "--memory-limit" : "this machine's memory", limit / 1e9, per_entry);
  return {limit / per_entry, reason};
}

void run(const ConicOptions& o) {
  using namespace isacbf::conic;
  Settings st = o.settings;
  if (o.tol > 0.0) st.eps_abs = st.eps_rel = o.tol;
  st.anderson_type1 = o.anderson_type == 1;
  const Backend backend = parse_backend(o.backend);
  if (backend == Backend::gpu) {
    // the device batch has one x-system solve (Woodbury) and its own eigensolver choice
    if (!st.linear_solver.empty()) throw isacbf::InputError("--linear-solver", "applies to --backend cpu only");
    if (st.eig_threshold != -1) throw isacbf::InputError("--eig-threshold", "applies to --backend cpu only (use --gpu-eig)");
    if (st.psd_method != "auto") throw isacbf::InputError("--psd-method", "applies to --backend cpu only (use --gpu-eig)");
    isacbf::gpu::set_eig_method(o.gpu_eig);
  } else if (o.gpu_eig != "auto") {
    throw isacbf::InputError("--gpu-eig", "applies to --backend gpu only");
  } else if (st.gpu_max_batch != 0) {
    throw isacbf::InputError("--gpu-max-batch", "applies to --backend gpu only");
  }
  validate(st);  // a bad setting is named as such, before the size checks that depend on it
  std::vector<isacbf::apps::ConicInput> files;
  std::vector<ConicProblem> problems;
  if (std::count(o.files.begin(), o.files.end(), "-") > 1) throw isacbf::InputError("files", "standard input ('-') can be read once");
  const DeclaredSizeLimit limit = declared_size_limit(st);
  for (const std::string& file : o.files) {
    isacbf::apps::ConicFile f = isacbf::apps::read_conic_file(file, o.format, limit);
    try {
      validate(f.problem);
    } catch (const isacbf::InputError& e) {
      throw e.in_file(file);
    }
    problems.push_back(std::move(f.problem));
    files.push_back(std::move(f.input));
  }
  const std::vector<WarmStart> warm =
      o.warm_start.empty() ? std::vector<WarmStart>{} : isacbf::apps::read_warm_starts(o.warm_start, files);
  check_memory(problems, st, backend);
  auto solver = make_solver(backend);
  const std::vector<Solution> sols = solver->solve(problems, st, warm);
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < problems.size(); ++i) {
    out.push_back(result_json(files[i], problems[i], sols[i], backend));
    if (o.solution) isacbf::apps::add_solution(out.back(), files[i], sols[i]);
  }
  std::cout << (out.size() == 1 ? out.front() : out).dump(2) << "\n";
}

isacbf::apps::RegisterCommand reg{"conic", [](CLI::App& root) {
  auto opts = std::make_shared<ConicOptions>();
  auto* cmd = root.add_subcommand("conic", "Solve SDPA sparse (.dat-s) or CBF (.cbf) conic problems with the conic ADMM (CPU or GPU), as one batch");
  cmd->add_option("files", opts->files, "SDPA sparse (.dat-s) or CBF (.cbf, by the name) files; several are solved as one batch and printed as a JSON array")
      ->required();
  cmd->add_option_function<double>(
      "--tol",
      [opts](double tol) {
        if (!(std::isfinite(tol) && tol > 0.0)) throw isacbf::InputError("tol", "must be a finite number > 0, got " + std::to_string(tol));
        opts->tol = tol;
      },
      "Relative and absolute tolerance (eps_abs = eps_rel)");
  cmd->add_option("--max-iters", opts->settings.max_iters, "Iteration limit");
  cmd->add_option("--time-limit", opts->settings.time_limit_s, "Time limit in seconds (0 = none)");
  cmd->add_option("--threads", opts->settings.threads, "Worker threads (0 = all cores)");
  cmd->add_option("--format", opts->format, "auto (default: .cbf is CBF, anything else SDPA) | sdpa | cbf; '-' as a file reads standard input")
      ->check(CLI::IsMember({"auto", "sdpa", "cbf"}));
  cmd->add_option("--memory-limit", opts->settings.memory_limit_gb,
                  "Refuse (exit 2) a batch estimated to need more memory than this, in GB, and fit the x-system into it "
                  "(the --threads instances running at once share it; conjugate gradients where no factor fits; default 0: the "
                  "machine's memory)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--solution", opts->solution,
                "Also print the point in the file's terms: SDPA: x, X = sum x_i F_i - F_0 and the dual Y, block by block (a diagonal block as its diagonal); CBF: x, psd_x and the duals in the file's rows");
  cmd->add_option("--warm-start", opts->warm_start,
                  "Start from the point of a --solution output (one object, or an array with one per file; null: cold)");
  cmd->add_flag("--verbose", opts->settings.verbose,
                "Progress on standard error: the problem's size, a row of residuals, objectives and scale every 250 "
                "iterations, each scale change, and each file's outcome (lines start with [i] for several files)");
  cmd->add_option("--backend", opts->backend, "cpu (the CPU reference, default) | gpu (the GPU backend, the files as one batch; exit 3 without a device)");
  cmd->add_option("--gpu-eig", opts->gpu_eig, "GPU eigensolver: auto (default: Jacobi up to order 12, cuSOLVER above) | jacobi | cusolver")
      ->check(CLI::IsMember({"auto", "jacobi", "cusolver"}));
  cmd->add_option("--gpu-max-batch", opts->settings.gpu_max_batch,
                  "GPU: instances per device batch at most (default 0: as many as fit the device's free memory; a larger "
                  "batch runs as several device batches)")
      ->check(CLI::NonNegativeNumber);
  isacbf::apps::add_gpu_device_option(*cmd);
  cmd->add_option("--alpha", opts->settings.alpha, "Over-relaxation");
  cmd->add_option("--scale", opts->settings.scale, "Initial dual scale (default 0: from the data, norm(c)/norm(b) after equilibration)");
  cmd->add_option("--eps-infeas", opts->settings.eps_infeas, "Certificate tolerance");
  cmd->add_option("--norm-cap", opts->settings.norm_cap,
                  "Cap of the residual test's relative scale, times max(|b|,1) / max(|c|,1) (0 = SCS 3, uncapped)");
  cmd->add_option("--anderson-memory", opts->settings.anderson_memory, "Anderson memory (0 disables)");
  cmd->add_option("--anderson-type", opts->anderson_type, "Anderson type 1 or 2")->check(CLI::IsMember({1, 2}));
  cmd->add_option("--anderson-safeguard", opts->settings.anderson_safeguard, "Reject an AA step that grows the fixed-point residual by more than this factor (default 5)");
  cmd->add_option("--anderson-interval", opts->settings.anderson_interval, "AA every this many iterations");
  cmd->add_option("--anderson-reg", opts->settings.anderson_reg, "AA regularisation");
  cmd->add_option("--anderson-reset", opts->settings.anderson_reset_on_reject, "Reset AA memory on a rejected step (0/1)");
  cmd->add_option("--rho-x", opts->settings.rho_x, "R_x = rho_x I");
  cmd->add_option("--equilibration-passes", opts->settings.equilibration_passes, "Ruiz passes (0 disables)");
  cmd->add_option("--psd-equilibration", opts->settings.psd_equilibration,
                  "PSD rows: auto (default: congruence where a block's index spread > 100) | block (one scale per block) | congruence (D_ij = t_i t_j)");
  cmd->add_option("--check-interval", opts->settings.check_interval, "Residual check interval");
  cmd->add_option("--linear-solver", opts->settings.linear_solver, "woodbury | dense_llt | sparse_ldlt | cg (default: by the pattern of A, host/conic/linsys_plan.hpp; a factor over 1e9 flops only after conjugate gradients prove dearer)");
  cmd->add_option("--eig-threshold", opts->settings.eig_threshold, "Jacobi for PSD orders <= this, Eigen above");
  cmd->add_option("--psd-method", opts->settings.psd_method,
                  "CPU eigensolver above the Jacobi threshold: auto (default, by order and kind) | eigen | lapack_evd | lapack_evr | lapack_partial");
  cmd->add_option("--scale-min-iters", opts->settings.scale_update_min_iters, "Adaptive scale: iterations between updates");
  cmd->add_option("--equilibration-l2-pass", opts->settings.equilibration_l2_pass, "One 2-norm pass after Ruiz (0/1)");
  cmd->add_option("--normalize-bc", opts->settings.normalize_bc, "Scale b, c to unit inf-norm (0/1)");
  cmd->add_option("--scale-trials", opts->settings.scale_trials,
                  "Adaptive scale: try a 3x larger scale for one window when progress is slow (0/1, default 1)");
  cmd->add_option("--scale-trial-doublings", opts->settings.scale_trial_doublings,
                  "Adaptive scale: the cooldown after an undone trial doubles for each one undone in a row, at most this often (default 3; 0: fixed)");
  cmd->add_option("--scale-floor", opts->settings.scale_floor,
                  "Adaptive scale: not below this times ||y||/||s|| while that balance is steady (0 = off, default 0.5)");
  cmd->add_flag("--no-adaptive-scale", [opts](std::int64_t) { opts->settings.adaptive_scale = false; },
                "Keep the dual scale fixed");
  cmd->callback([opts] { run(*opts); });
}};

}  // namespace
