// `isacbf solve-b FILE... [--scheme S] [--n-rf N] [--full] [-o OUT]`: model-B designs (docs/model-b.md).
// One result JSON (formats.md "Result", model B) per instance; with several files the output is a JSON
// array in the order given. `isacbf solve` is meant to dispatch model-B files here once merged.
#include <iostream>
#include <memory>

#include "apps/command.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/solve.hpp"
#include "host/xcheck/cvxopt_solver.hpp"

namespace isacbf::apps {
namespace {

struct SolveBOptions {
  std::vector<std::string> files;
  std::string output, scheme = "digital";
  int n_rf = 0;
  bool full = false;
  double delta = 1e-3;
  std::string solver = "auto";
  double eps = 1e-6;
};

void run_solve_b(const SolveBOptions& opt) {
  model_b::SolveOptions so;
  so.scheme = opt.scheme;
  so.n_rf = opt.n_rf;
  so.include_design = opt.full;
  so.fp.delta = opt.delta;
  so.fp.conic.eps_abs = so.fp.conic.eps_rel = opt.eps;
  if (opt.solver == "cvxopt") so.solver = std::make_shared<xcheck::CvxoptSolver>();
  else if (opt.solver == "admm") so.solver = conic::make_cpu_solver();
  else if (opt.solver != "auto") throw InputError("--solver", "must be 'auto', 'admm' or 'cvxopt', got '" + opt.solver + "'");
  nlohmann::json all = nlohmann::json::array();
  for (const auto& file : opt.files) {
    const model_b::Instance inst = model_b::read_instance(file);
    try {
      all.push_back(model_b::solve_instance(inst, so));
    } catch (const InputError& e) {
      if (e.field() == "scheme") throw InputError("--scheme", "unknown scheme '" + opt.scheme + "'");
      if (e.field() == "N_RF" && opt.n_rf > 0) throw InputError("--n-rf", "must be in [1, Nt]");
      throw e.in_file(file);
    }
  }
  const nlohmann::json out = opt.files.size() == 1 ? all.front() : all;
  if (opt.output.empty() || opt.output == "-") std::cout << json_io::dump(out);
  else json_io::write_file(out, opt.output);
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<SolveBOptions>();
  auto* cmd = root.add_subcommand("solve-b", "Solve model-B (aerial eavesdroppers) instances");
  cmd->add_option("files", opt->files, "instance JSON files")->required();
  cmd->add_option("--scheme", opt->scheme,
                  "digital | had | decomposed_had | comm_only | comm_only_strict | comm_only_carrier | an_upper_bound");
  cmd->add_option("--n-rf", opt->n_rf, "RF chains for had/decomposed_had (default: the instance's N_RF)");
  cmd->add_option("--delta", opt->delta, "relative sum-rate change that stops the FP loop (default 1e-3)");
  cmd->add_option("--solver", opt->solver, "conic solver for the convex steps: auto (cvxopt when python3-cvxopt is installed, else admm) | cvxopt (interior point) | admm (CPU reference ADMM)");
  cmd->add_option("--eps", opt->eps, "ADMM relative/absolute tolerance (default 1e-6: at 1e-5 designs miss constraints by up to 0.4 %; CVXOPT uses its own)");
  cmd->add_flag("--full", opt->full, "include the design (W, S) in the result");
  cmd->add_option("-o,--output", opt->output, "result JSON file (default: stdout)");
  cmd->callback([opt] { run_solve_b(*opt); });
}

RegisterCommand reg{"solve-b", attach};

}  // namespace
}  // namespace isacbf::apps
