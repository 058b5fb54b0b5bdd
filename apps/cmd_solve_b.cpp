// `isacbf solve-b FILE... [--scheme S] [--n-rf N] [--full] [-o OUT]`: model-B designs (docs/model-b.md).
// One result JSON (formats.md "Result", model B) per instance; with several files the output is a JSON
// array in the order given. `isacbf solve` sends model-B files through the same runner (apps/model_b_run.hpp).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/command.hpp"
#include "host/common/json_io.hpp"
#include "apps/model_b_run.hpp"

namespace isacbf::apps {
namespace {

void run_solve_b(const std::vector<std::string>& files, const ModelBRunOptions& opt, const std::string& output) {
  const std::vector<nlohmann::json> results = solve_model_b_files(files, opt);
  const nlohmann::json out = results.size() == 1 ? results.front() : nlohmann::json(results);
  json_io::write_output(out, output);
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<ModelBRunOptions>();
  auto files = std::make_shared<std::vector<std::string>>();
  auto output = std::make_shared<std::string>();
  auto* cmd = root.add_subcommand("solve-b", "Solve model-B (aerial eavesdroppers) instances");
  cmd->add_option("files", *files, "instance JSON files")->required();
  cmd->add_option("--scheme", opt->scheme,
                  "digital | had | decomposed_had | comm_only | comm_only_strict | comm_only_carrier | an_upper_bound");
  cmd->add_option("--n-rf", opt->n_rf, "RF chains for had/decomposed_had (default: the instance's N_RF)");
  cmd->add_option("--delta", opt->delta, "relative sum-rate change that stops the FP loop (default 1e-3)");
  cmd->add_option("--solver", opt->solver, "conic solver for the convex steps: auto (cvxopt when python3-cvxopt is installed, else admm) | cvxopt (interior point) | admm (CPU reference ADMM) | gpu (the GPU's batched ADMM; exit 3 without a device)");
  cmd->add_option("--eps", opt->eps, "ADMM relative/absolute tolerance (default 1e-6: at 1e-5 designs miss constraints by up to 0.4 %; CVXOPT uses its own)");
  cmd->add_flag("--full", opt->full, "include the design (W, S) in the result");
  cmd->add_option("-o,--output", *output, "result JSON file (default: stdout)");
  cmd->callback([opt, files, output] { run_solve_b(*files, *opt, *output); });
}

RegisterCommand reg{"solve-b", attach};

}  // namespace
}  // namespace isacbf::apps
