// `isacbf solve FILE... [--backend cpu|gpu|cvxopt] [--scheme proposed|s_random|no_sensing_security]
//  [--sca-update paper|tight] [--full-form] [--full] [--jsonl] [-o OUT]`
// Model A instances (files, or directories whose *.json files are taken in name order) are solved
// together: every SCA iteration's P4 of all instances goes to the backend as one batch.
// Model B instances go to the model-B runner (apps/model_b_run.hpp, as `solve-b`); scheme `proposed`
// is the paper's design for the instance's array (HAD when N_RF > 0, else digital). One call takes one
// model: a mix of model A and model B files is refused.
// Output: one JSON object for one instance; a JSON array for several (or JSON lines with --jsonl).
// Bad input -> exit 2 naming field and file; an infeasible instance is a normal result (exit 0).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "apps/command.hpp"
#include "apps/seed_option.hpp"
#include "apps/gpu_device_option.hpp"
#include "apps/model_a_solver_choice.hpp"
#include "apps/model_b_run.hpp"
#include "host/common/json_io.hpp"
#include "host/common/model_kind.hpp"
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
  bool eps_given = false;
  std::vector<std::string> model_a_only_given;  // model-A options the user set (refused for model B)
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

// The model of every file; InputError when they differ.
ModelKind common_model(const std::vector<std::string>& files) {
  const ModelKind first = json_io::read_file_as(files.front(), model_kind);
  for (const auto& f : files)
    if (json_io::read_file_as(f, model_kind) != first)
      throw InputError("FILE", "mixes model A and model B instances; solve each model in its own call", f);
  return first;
}

void write_results(const SolveArgs& a, const std::vector<nlohmann::json>& results) {
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out);
    if (!file) throw InputError("o", "cannot write the output file", a.out);
  }
  std::ostream& os = a.out.empty() ? std::cout : file;
  if (a.jsonl) {
    for (const auto& j : results) os << j.dump() << "\n";
  } else {
    os << (results.size() == 1 ? results[0] : nlohmann::json(results)).dump(2) << "\n";
  }
  json_io::check_written(os, a.out.empty() ? "standard output" : a.out);
}

double checked_eps(double eps) {
  if (!(std::isfinite(eps) && eps > 0.0)) throw InputError("eps", "must be a finite number > 0, got " + std::to_string(eps));
  return eps;
}

void run_model_b(const SolveArgs& a, const std::vector<std::string>& files) {
  if (!a.model_a_only_given.empty())
    throw InputError(a.model_a_only_given.front(), "is a model-A option; these instances are model B (see `isacbf solve-b --help`)");
  ModelBRunOptions opt;
  if (a.backend == "cvxopt") opt.solver = "cvxopt";
  else if (a.backend == "gpu") opt.backend = "gpu";  // HAD analog steps; the convex steps stay on the CPU
  else if (a.backend != "cpu")
    throw InputError("backend", "model B takes cpu, gpu (HAD analog steps on the GPU) or cvxopt");
  opt.full = a.full;
  opt.delta = a.delta;
  if (a.eps_given) opt.eps = checked_eps(a.eps);
  // Files grouped by scheme (proposed: had when the file has N_RF > 0, else digital), each group one
  // call (HAD: one lockstep batch), results back in the files' order.
  std::map<std::string, std::vector<std::size_t>> by_scheme;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string scheme = a.scheme;
    if (a.scheme == "proposed") {
      const nlohmann::json doc = json_io::parse_file(files[i]);
      scheme = json_io::optional_number(doc, "", "N_RF", 0.0) > 0.0 ? "had" : "digital";
    }
    by_scheme[scheme].push_back(i);
  }
  std::vector<nlohmann::json> results(files.size());
  for (const auto& [scheme, members] : by_scheme) {
    opt.scheme = scheme;
    std::vector<std::string> group;
    for (std::size_t i : members) group.push_back(files[i]);
    std::vector<nlohmann::json> r = solve_model_b_files(group, opt);
    for (std::size_t k = 0; k < members.size(); ++k) results[members[k]] = std::move(r[k]);
  }
  write_results(a, results);
}

void run(const SolveArgs& a) {
  const auto files = expand_inputs(a.inputs);
  if (common_model(files) == ModelKind::aerial_eavesdroppers) return run_model_b(a, files);

  model_a::ScaOptions opt;
  opt.scheme = model_a::parse_scheme(a.scheme);
  opt.update = model_a::parse_sca_update(a.sca_update);
  opt.form = a.full_form ? model_a::Form::full : model_a::Form::reduced;
  opt.delta = a.delta;
  opt.max_iterations = a.max_iterations;
  opt.s_random_seed = a.seed;
  opt.solver.eps_abs = opt.solver.eps_rel = checked_eps(a.eps);
  opt.validate();
  std::vector<model_a::Instance> instances;
  for (const auto& f : files) instances.push_back(model_a::read_instance(f));
  auto choice = choose_solver(a.backend);
  opt.primal_start = choice.detail == "cvxopt";
  opt.target_rescaling = choice.detail != "cvxopt";
  opt.warm_start = !a.no_warm_start;
  const auto outcomes = model_a::run_sca(instances, opt, *choice.solver);

  std::vector<nlohmann::json> results;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    model_a::ResultContext ctx{choice.backend, choice.detail, files[i], a.full};
    results.push_back(model_a::result_to_json(instances[i], outcomes[i], opt, ctx));
  }
  write_results(a, results);
}

RegisterCommand reg{"solve", [](CLI::App& root) {
  auto args = std::make_shared<SolveArgs>();
  auto* cmd = root.add_subcommand("solve", "Secure beamforming for instance files: model A (Algorithm 1, batched) or model B (as solve-b)");
  cmd->add_option("FILE", args->inputs, "instance JSON files or directories of them")->required();
  cmd->add_option("--backend", args->backend, "cpu | gpu | cvxopt (interior-point cross-check)");
  add_gpu_device_option(*cmd);
  cmd->add_option("--scheme", args->scheme, "model A: proposed | s_random | no_sensing_security; model B: proposed (had if N_RF > 0, else digital) or a solve-b scheme");
  cmd->add_option("--sca-update", args->sca_update, "expansion point: tight (default) | paper (Algorithm 1 as printed)");
  cmd->add_flag("--full-form", args->full_form, "solve P4 with Nt x Nt blocks instead of the exact subspace reduction");
  cmd->add_flag("--full", args->full, "include the covariances Q, S and beamformers w in the result");
  cmd->add_flag("--jsonl", args->jsonl, "one JSON object per line instead of an array (several instances)");
  cmd->add_option("--delta", args->delta, "SCA relative stopping tolerance (default 1e-3)");
  cmd->add_option("--max-iterations", args->max_iterations, "SCA iteration cap (default 50)");
  cmd->add_option("--seed", args->seed, "seed of the S Random draws (default 1)")->check(whole_number_validator());
  cmd->add_option("--eps", args->eps, "conic solver relative/absolute tolerance (default 1e-5)");
  cmd->add_flag("--no-warm-start", args->no_warm_start, "solve every P4 cold (for measurements)");
  cmd->add_option("-o,--output", args->out, "write the result here instead of stdout");
  cmd->callback([args, cmd] {
    args->eps_given = cmd->count("--eps") > 0;
    for (const char* name : {"--sca-update", "--full-form", "--max-iterations", "--seed", "--no-warm-start"})
      if (cmd->count(name) > 0) args->model_a_only_given.push_back(name);
    run(*args);
  });
}};

}  // namespace
}  // namespace isacbf::apps
