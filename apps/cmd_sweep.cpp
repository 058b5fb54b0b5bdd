// `isacbf sweep CONFIG.json -o DIR [--backend cpu|gpu|cvxopt] [--shard I/N|auto] [--merge]`: Monte Carlo
// over a parameter grid x R seeded realisations (docs/sweep.md), of model A, or of model B when the
// config says "model": "aerial_eavesdroppers", solved in batches; DIR/results.csv gets
// one row per instance (resumable: rerun the same command after any interruption), DIR/summary.csv one
// row per grid point. --shard splits the sweep over processes or servers sharing DIR; --merge gathers
// the shards' files into results.csv afterwards.
#include <iostream>
#include <memory>

#include "apps/command.hpp"
#include "apps/gpu_device_option.hpp"
#include "apps/model_a_solver_choice.hpp"
#include "apps/model_b_solver_choice.hpp"
#include "apps/progress_bar.hpp"
#include "host/model_a/sweep_runner.hpp"
#include "host/model_b/sweep_runner.hpp"

namespace isacbf::apps {
namespace {

struct SweepArgs {
  std::string config, dir, backend, shard = "0/1";
  int batch_size = 0;
  bool merge = false;
};

void report(const char* what, std::size_t total, std::size_t skipped, std::size_t solved, const sweep::Shard& shard,
            const std::string& dir) {
  std::cerr << "sweep: " << total << " " << what;
  if (shard.count > 1) std::cerr << " in shard " << shard.index << " of " << shard.count;
  std::cerr << " (" << skipped << " already done, " << solved << " solved now) -> " << dir << "/"
            << sweep::results_file_name(shard) << ", summary.csv\n";
}

// Model B: --backend cpu (conic solver from the config: auto, admm, cvxopt or gpu), gpu (HAD analog steps on
// the GPU; the conic solver still from the config) or cvxopt.
void run_model_b(const SweepArgs& a, model_b::SweepConfig config) {
  if (a.merge) {
    const std::size_t rows = model_b::merge_shards(config, a.dir);
    std::cerr << "sweep: merged " << rows << " rows -> " << a.dir << "/results.csv, summary.csv\n";
    return;
  }
  const sweep::Shard shard = sweep::parse_shard(a.shard);
  if (a.batch_size > 0) config.batch_size = a.batch_size;
  const std::string backend = a.backend.empty() ? config.backend : a.backend;
  model_b::SolveOptions so;
  so.solver = model_b_solver(backend == "cvxopt" ? "cvxopt" : config.solver, "solver");
  if (backend == "gpu") {
    so.manifold = model_b::make_gpu_manifold_solver();
    std::cerr << "sweep: GPU " << gpu::use_selected_device() << "\n";
  } else if (backend != "cpu" && backend != "cvxopt") throw InputError("backend", "model B takes cpu, gpu (HAD analog steps) or cvxopt");
  ProgressBar bar;
  const auto rep = model_b::run_sweep(config, a.dir, so, [&](std::size_t done, std::size_t total) { bar.update(done, total); }, shard);
  report("model-B instances", rep.total, rep.skipped, rep.solved, shard, a.dir);
}

void run(const SweepArgs& a) {
  const nlohmann::json doc = sweep::read_config_json(a.config);  // read once; "model" picks the parser
  if (model_b::is_model_b_sweep(doc)) return run_model_b(a, sweep::parse_config(doc, a.config, model_b::sweep_config_from_json));
  auto config = sweep::parse_config(doc, a.config, model_a::sweep_config_from_json);
  if (a.merge) {
    const std::size_t rows = model_a::merge_shards(config, a.dir);
    std::cerr << "sweep: merged " << rows << " rows -> " << a.dir << "/results.csv, summary.csv\n";
    return;
  }
  const model_a::Shard shard = sweep::parse_shard(a.shard);
  if (a.batch_size > 0) config.batch_size = a.batch_size;
  auto choice = choose_solver(a.backend.empty() ? config.backend : a.backend);
  if (choice.backend == "gpu") std::cerr << "sweep: GPU " << gpu::use_selected_device() << "\n";
  config.sca.primal_start = choice.detail == "cvxopt";
  config.sca.target_rescaling = choice.detail != "cvxopt";
  ProgressBar bar;
  const auto rep = model_a::run_sweep(config, a.dir, *choice.solver, choice.backend, choice.detail,
                                      [&](std::size_t done, std::size_t total) { bar.update(done, total); }, shard);
  report("instances", rep.total, rep.skipped, rep.solved, shard, a.dir);
}

RegisterCommand reg{"sweep", [](CLI::App& root) {
  auto args = std::make_shared<SweepArgs>();
  auto* cmd = root.add_subcommand("sweep", "Monte Carlo sweep of model A or B over a parameter grid (resumable)");
  cmd->add_option("CONFIG", args->config, "sweep config JSON (docs/sweep.md)")->required();
  cmd->add_option("-o,--output", args->dir, "output directory (results.csv, summary.csv)")->required();
  cmd->add_option("--backend", args->backend, "cpu | gpu | cvxopt (overrides the config's backend)");
  cmd->add_option_function<int>(
      "--batch-size",
      [args](int n) {
        if (n < 1 || n > 1000000) throw InputError("batch-size", "must be in [1, 1000000] (as the config's batch_size), got " + std::to_string(n));
        args->batch_size = n;
      },
      "instances per batch (overrides the config)");
  cmd->add_option("--shard", args->shard,
                  "I/N: solve every N-th instance starting at I into DIR/results.shard-I-of-N.csv (processes or "
                  "servers sharing DIR); auto: I and N from mpirun/srun (OMPI_COMM_WORLD_*, PMI_*, SLURM_*)");
  add_gpu_device_option(*cmd);
  cmd->add_flag("--merge", args->merge, "gather the shards' results into DIR/results.csv and rewrite the summary");
  cmd->callback([args] { run(*args); });
}};

}  // namespace
}  // namespace isacbf::apps
