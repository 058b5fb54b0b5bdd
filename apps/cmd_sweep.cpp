// `isacbf sweep CONFIG.json -o DIR [--backend cpu|gpu|cvxopt]`: Monte Carlo over a parameter grid x R
// seeded realisations (docs/sweep.md), solved in batches; DIR/results.csv gets one row per instance
// (resumable: rerun the same command after any interruption), DIR/summary.csv one row per grid point.
#include <iostream>

#include "apps/command.hpp"
#include "apps/model_a_solver_choice.hpp"
#include "apps/progress_bar.hpp"
#include "host/model_a/sweep_runner.hpp"

namespace isacbf::apps {
namespace {

struct SweepArgs {
  std::string config, dir, backend;
  int batch_size = 0;
};

void run(const SweepArgs& a) {
  auto config = model_a::read_sweep_config(a.config);
  if (a.batch_size > 0) config.batch_size = a.batch_size;
  auto choice = choose_solver(a.backend.empty() ? config.backend : a.backend);
  config.sca.primal_start = choice.detail == "cvxopt";
  config.sca.target_rescaling = choice.detail != "cvxopt";
  ProgressBar bar;
  const auto rep = model_a::run_sweep(config, a.dir, *choice.solver, choice.backend, choice.detail,
                                      [&](std::size_t done, std::size_t total) { bar.update(done, total); });
  std::cerr << "sweep: " << rep.total << " instances (" << rep.skipped << " already done, " << rep.solved
            << " solved now) -> " << a.dir << "/results.csv, summary.csv\n";
}

RegisterCommand reg{"sweep", [](CLI::App& root) {
  auto args = std::make_shared<SweepArgs>();
  auto* cmd = root.add_subcommand("sweep", "Monte Carlo sweep of model A over a parameter grid (resumable)");
  cmd->add_option("CONFIG", args->config, "sweep config JSON (docs/sweep.md)")->required();
  cmd->add_option("-o,--output", args->dir, "output directory (results.csv, summary.csv)")->required();
  cmd->add_option("--backend", args->backend, "cpu | gpu | cvxopt (overrides the config's backend)");
  cmd->add_option("--batch-size", args->batch_size, "instances per batch (overrides the config)");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace isacbf::apps
