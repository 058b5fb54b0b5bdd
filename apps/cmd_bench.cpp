// `isacbf bench`: GPU vs CPU timings. Four modes:
//   --manifold the batched Riemannian CG of model B's HAD analog step (bench_manifold.*), GPU vs CPU
//   --eig      batched eigendecomposition / PSD projection micro-benchmark (Jacobi kernels vs cuSOLVER)
//   --model-a  Algorithm 1 of model A end to end on generated instances, GPU vs CPU vs CVXOPT (bench_model_a.*)
//   default    batched ADMM on a synthetic model-A-shaped conic problem (bench/synthetic_p4.*), GPU vs CPU
// Prints a table and writes the same rows as CSV (--csv).
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/bench_admm.hpp"
#include "apps/bench_manifold.hpp"
#include "apps/gpu_device_option.hpp"
#include "apps/bench_model_a.hpp"
#include "apps/bench_table.hpp"
#include "apps/command.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"

namespace isacbf::apps {
namespace {

struct BenchOptions {
  bool eig = false;
  bool model_a = false;
  bool manifold = false;
  std::vector<int> sizes{4, 8, 16, 32, 64};
  std::vector<int> batches;  // empty: --eig 4096, 16384; ADMM and --model-a 1 ... 16384
  std::vector<int> users;    // empty: synthetic 3; --model-a 3, 8
  int repeats = 5;
  std::string csv;
  AdmmBenchOptions admm;
  ModelABenchOptions model;
  ManifoldBenchOptions manifold_bench;
};

// A mode's options given to another mode are a mistake, not something to ignore silently.
void reject_options(const CLI::App& cmd, const std::vector<std::string>& names, const std::string& mode) {
  for (const auto& name : names)
    if (cmd.count(name) > 0) throw InputError(name.substr(2), "not an option of " + mode);
}

void run_model_a(const CLI::App& cmd, BenchOptions& o) {
  reject_options(cmd, {"--eig", "--sizes", "--repeats", "--order", "--max-iters", "--fixed-iters", "--no-cpu", "--cpu-plain", "--skip-warmup"},
                 "bench --model-a");
  o.model.users = o.users;
  o.model.batches = o.batches;
  o.model.csv = o.csv;
  if (cmd.count("--eps") > 0) o.model.eps = o.admm.eps;
  if (cmd.count("--cpu-max-batch") > 0) o.model.cpu_max_batch = o.admm.cpu_max_batch;
  o.model.eig_method = o.admm.eig_method;
  run_model_a_bench(o.model);
}

void run_manifold(const CLI::App& cmd, BenchOptions& o) {
  reject_options(cmd, {"--eig", "--model-a", "--sizes", "--repeats", "--order", "--eps", "--max-iters", "--fixed-iters", "--no-cpu",
                       "--cpu-plain", "--skip-warmup", "--eig-method", "--users", "--form", "--cvxopt-instances", "--cvxopt-max-nt"},
                 "bench --manifold");
  ManifoldBenchOptions& m = o.manifold_bench;
  if (m.altmin) reject_options(cmd, {"--distinct"}, "bench --manifold --altmin (every batch entry is its own instance)");
  m.nt = o.model.nt;
  m.batches = o.batches;
  m.seed = o.model.seed;
  m.no_gpu = o.model.no_gpu;
  m.csv = o.csv;
  if (cmd.count("--cpu-max-batch") > 0) m.cpu_max_batch = o.admm.cpu_max_batch;
  run_manifold_bench(m);
}

void run_eig(const BenchOptions& o) {
  const std::string device = gpu::device_description();
  std::cout << "device: " << device << "\n";
  std::cout << "complex double Hermitian, eigenvalues+vectors; projection = rebuild from positive eigenpairs\n";
  std::cout << std::setw(4) << "n" << std::setw(8) << "batch" << std::setw(10) << "method" << std::setw(14)
            << "eig_us/mat" << std::setw(14) << "proj_us/mat" << std::setw(14) << "eig_ms/batch" << "\n";
  std::vector<std::string> rows;
  const std::vector<int> batches = o.batches.empty() ? std::vector<int>{4096, 16384} : o.batches;
  for (int n : o.sizes)
    for (int batch : batches)
      for (const std::string method : {"jacobi", "cusolver"}) {
        if (method == "jacobi" && n > 32) continue;
        const auto t = gpu::time_psd(n, batch, method, o.repeats, 12345);
        const double eig_us = t.eig_seconds * 1e6 / batch, proj_us = t.projection_seconds * 1e6 / batch;
        std::cout << std::setw(4) << n << std::setw(8) << batch << std::setw(10) << method << std::setw(14)
                  << std::setprecision(4) << eig_us << std::setw(14) << proj_us << std::setw(14)
                  << t.eig_seconds * 1e3 << "\n";
        std::ostringstream row;
        row << n << "," << batch << "," << method << "," << t.eig_seconds << "," << t.projection_seconds;
        rows.push_back(row.str());
      }
  write_csv_file(o.csv, "n,batch,method,eig_seconds,projection_seconds", rows);
}

}  // namespace

static RegisterCommand reg{"bench", [](CLI::App& root) {
  auto opts = std::make_shared<BenchOptions>();
  auto* cmd = root.add_subcommand(
      "bench", "GPU vs CPU benchmarks (batched ADMM; --model-a for model A end to end; --manifold for model B's HAD analog step; --eig for the eigensolver)");
  cmd->add_flag("--eig", opts->eig, "eigendecomposition / PSD projection micro-benchmark (Jacobi vs cuSOLVER)");
  cmd->add_flag("--manifold", opts->manifold, "batched Riemannian CG of model B's HAD analog step on generated instances: GPU vs CPU");
  cmd->add_option("--n-rf", opts->manifold_bench.n_rf, "--manifold: RF chains N_RF (default 8)");
  cmd->add_flag("--altmin", opts->manifold_bench.altmin,
                "--manifold: time the HAD starts (MO-AltMin batches, each entry its own generated instance) instead of the analog step");
  cmd->add_option("--distinct", opts->manifold_bench.distinct,
                  "--manifold: generated instances per Nt; larger batches cycle through them with random starts (default 32)");
  cmd->add_flag("--model-a", opts->model_a, "Algorithm 1 of model A end to end on generated instances: GPU, CPU, CVXOPT");
  cmd->add_option("--users", opts->users, "users K (synthetic: one value, default 3; --model-a: list, default 3,8)")
      ->delimiter(',');
  cmd->add_option("--sizes", opts->sizes, "--eig: matrix orders")->delimiter(',');
  cmd->add_option("--batches", opts->batches, "batch sizes")->delimiter(',');
  cmd->add_option("--repeats", opts->repeats, "timed repetitions (median reported)");
  cmd->add_option("--csv", opts->csv, "also write the rows to this CSV file");
  add_gpu_device_option(*cmd);
  add_admm_bench_options(*cmd, opts->admm);
  add_model_a_bench_options(*cmd, opts->model);
  cmd->callback([opts, cmd] {
    if (opts->manifold && opts->model_a) throw InputError("manifold", "--manifold and --model-a are separate modes");
    if (opts->manifold) return run_manifold(*cmd, *opts);
    if (opts->model_a) return run_model_a(*cmd, *opts);
    reject_options(*cmd, {"--n-rf", "--distinct", "--altmin"}, "bench without --manifold");
    reject_options(*cmd, {"--form", "--nt", "--seed", "--cvxopt-instances", "--cvxopt-max-nt", "--no-gpu"},
                   "bench without --model-a");
    if (opts->eig) {
      run_eig(*opts);
    } else {
      if (opts->users.size() > 1) throw InputError("users", "the synthetic benchmark takes one K");
      if (!opts->users.empty()) opts->admm.users = opts->users.front();
      opts->admm.batches = opts->batches;
      opts->admm.csv = opts->csv;
      run_admm_bench(opts->admm);
    }
  });
}};

}  // namespace isacbf::apps
