// `isacbf solve FILE... [--backend cpu|gpu|cvxopt] [--scheme proposed|s_random|no_sensing_security]
//  [--sca-update paper|tight] [--full-form] [--full] [--jsonl] [-o OUT]`
// Model A instances (files, or directories whose *.json files are taken in name order) are solved
// together: every SCA iteration's P4 of all instances goes to the backend as one batch.
// Output: one JSON object for one instance; a JSON array for several (or JSON lines with --jsonl).
// Bad input -> exit 2 naming field and file; an infeasible instance is a normal result (exit 0).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "apps/command.hpp"
#include "apps/model_a_solver_choice.hpp"
#include "host/common/errors.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/result_json.hpp"
#include "host/model_a/sca.hpp"

namespace isacbf::apps {
namespace {

namespace fs = std::filesystem;

struct SolveArgs {
  std::vector<std::string> inputs;
  std::string backend = "cpu", scheme = "proposed", sca_update = "tight", out;
  bool full_form = false, full = false, jsonl = false, no_warm_start = false;
  double delta = 1e-3;
  int max_iterations = 50;
  std::uint64_t seed = 1;
  double eps = 1e-5;
};

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    if (fs::is_directory(in)) {
      std::vector<std::string> dir;
      for (const auto& e : fs::directory_iterator(in))
        if (e.is_regular_file() && e.path().extension() == ".json") dir.push_back(e.path().string());
      std::sort(dir.begin(), dir.end());
      if (dir.empty()) throw InputError("FILE", "directory holds no .json instance", in);
      files.insert(files.end(), dir.begin(), dir.end());
    } else if (fs::exists(in)) {
      files.push_back(in);
    } else {
      throw InputError("FILE", "no such file or directory", in);
    }
  }
  return files;
}

void run(const SolveArgs& a) {
  model_a::ScaOptions opt;
  opt.scheme = model_a::parse_scheme(a.scheme);
  opt.update = model_a::parse_sca_update(a.sca_update);
  opt.form = a.full_form ? model_a::Form::full : model_a::Form::reduced;
  opt.delta = a.delta;
  opt.max_iterations = a.max_iterations;
  opt.s_random_seed = a.seed;
  if (!(a.eps > 0.0)) throw InputError("eps", "must be positive");
  opt.solver.eps_abs = opt.solver.eps_rel = a.eps;
  opt.validate();
  const auto files = expand_inputs(a.inputs);
  std::vector<model_a::Instance> instances;
  for (const auto& f : files) instances.push_back(model_a::read_instance(f));
  auto choice = choose_solver(a.backend);
  opt.primal_start = choice.detail == "cvxopt";
  opt.target_rescaling = choice.detail != "cvxopt";
  opt.warm_start = !a.no_warm_start;
  const auto outcomes = model_a::run_sca(instances, opt, *choice.solver);

  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out);
    if (!file) throw InputError("o", "cannot write the output file", a.out);
  }
  std::ostream& os = a.out.empty() ? std::cout : file;
  nlohmann::json all = nlohmann::json::array();
  for (std::size_t i = 0; i < instances.size(); ++i) {
    model_a::ResultContext ctx{choice.backend, choice.detail, files[i], a.full};
    auto j = model_a::result_to_json(instances[i], outcomes[i], opt, ctx);
    if (a.jsonl) os << j.dump() << "\n";
    else all.push_back(std::move(j));
  }
  if (!a.jsonl) os << (all.size() == 1 ? all[0] : all).dump(2) << "\n";
}

RegisterCommand reg{"solve", [](CLI::App& root) {
  auto args = std::make_shared<SolveArgs>();
  auto* cmd = root.add_subcommand("solve", "Secure beamforming (model A, Algorithm 1) for instance files");
  cmd->add_option("FILE", args->inputs, "instance JSON files or directories of them")->required();
  cmd->add_option("--backend", args->backend, "cpu | gpu | cvxopt (interior-point cross-check)");
  cmd->add_option("--scheme", args->scheme, "proposed | s_random | no_sensing_security");
  cmd->add_option("--sca-update", args->sca_update, "expansion point: tight (default) | paper (Algorithm 1 as printed)");
  cmd->add_flag("--full-form", args->full_form, "solve P4 with Nt x Nt blocks instead of the exact subspace reduction");
  cmd->add_flag("--full", args->full, "include the covariances Q, S and beamformers w in the result");
  cmd->add_flag("--jsonl", args->jsonl, "one JSON object per line instead of an array (several instances)");
  cmd->add_option("--delta", args->delta, "SCA relative stopping tolerance (default 1e-3)");
  cmd->add_option("--max-iterations", args->max_iterations, "SCA iteration cap (default 50)");
  cmd->add_option("--seed", args->seed, "seed of the S Random draws (default 1)");
  cmd->add_option("--eps", args->eps, "conic solver relative/absolute tolerance (default 1e-5)");
  cmd->add_flag("--no-warm-start", args->no_warm_start, "solve every P4 cold (for measurements)");
  cmd->add_option("-o,--output", args->out, "write the result here instead of stdout");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace isacbf::apps
