#include "apps/bench_admm.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "apps/bench_table.hpp"
#include "cuda/gpu_api.hpp"
#include "host/bench/synthetic_p4.hpp"
#include "host/conic/batch_solver.hpp"

namespace isacbf::apps {
namespace {


struct Run {
  double wall = 0.0;
  int optimal = 0;
  int max_iters = 0;
  double max_rel_err = 0.0;
};

Run timed_solve(conic::BatchSolver& solver, const std::vector<conic::ConicProblem>& batch,
                const std::vector<double>& optimum, const conic::Settings& st) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto sol = solver.solve(batch, st);
  Run r;
  r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (size_t i = 0; i < sol.size(); ++i) {
    r.optimal += sol[i].status == conic::Status::optimal;
    r.max_iters = std::max(r.max_iters, sol[i].iterations);
    if (sol[i].status == conic::Status::optimal)
      r.max_rel_err = std::max(r.max_rel_err, std::abs(sol[i].primal_objective - optimum[i]) / (1.0 + std::abs(optimum[i])));
  }
  return r;
}

}  // namespace

void add_admm_bench_options(CLI::App& cmd, AdmmBenchOptions& o) {
  cmd.add_option("--order", o.order, "synthetic P4: order d of the Hermitian blocks");
  cmd.add_option("--eps", o.eps, "eps_abs = eps_rel");
  cmd.add_option("--max-iters", o.max_iters, "iteration limit");
  cmd.add_option("--fixed-iters", o.fixed_iters, "run exactly this many iterations (tolerance 1e-30)");
  cmd.add_option("--cpu-max-batch", o.cpu_max_batch, "largest batch the CPU reference runs (default: synthetic 16384, --model-a 1024)");
  cmd.add_flag("--no-cpu", o.no_cpu, "GPU only");
  cmd.add_flag("--cpu-plain", o.cpu_plain, "plain iteration on both backends (no Anderson, no adaptive scale)");
  cmd.add_option("--eig-method", o.eig_method, "GPU PSD projections: auto, jacobi or cusolver");
  cmd.add_flag("--skip-warmup", o.skip_warmup, "no warm-up solve (for profilers; the first batch then pays start-up)");
}

void run_admm_bench(const AdmmBenchOptions& o) {
  const std::vector<int> batches = o.batches.empty() ? std::vector<int>{1, 16, 256, 1024, 4096, 16384} : o.batches;
  const int K = o.users, d = o.order;
  const std::string device = gpu::device_description();
  std::cout << "device: " << device << "\n";
  std::cout << "synthetic P4: K=" << K << " users, " << K + 1 << " complex PSD blocks " << d << "x" << d << ", " << K
            << " exp cones, " << K + 2 << " linear rows; eps=" << o.eps << ", eig " << o.eig_method
            << (o.fixed_iters > 0 ? ", fixed " + std::to_string(o.fixed_iters) + " iterations" : "")
            << "; both backends " << (o.cpu_plain ? "plain ADMM" : "defaults (Anderson, adaptive scale)")
            << (o.no_cpu ? ", CPU reference off" : "")
            << ", " << std::thread::hardware_concurrency() << " threads\n";
  conic::Settings st;
  // Fixed iterations: a tolerance nothing reaches (both 0 is rejected by the settings validation).
  st.eps_abs = st.eps_rel = o.fixed_iters > 0 ? 1e-30 : o.eps;
  st.max_iters = o.fixed_iters > 0 ? o.fixed_iters : o.max_iters;
  if (o.cpu_plain) {  // both backends: the same plain iteration, iteration for iteration
    st.adaptive_scale = false;
    st.anderson_memory = 0;
  }
  auto gpu_solver = conic::make_gpu_solver();
  gpu::set_eig_method(o.eig_method);
  auto cpu_solver = o.no_cpu ? nullptr : conic::make_cpu_solver();
  if (!o.skip_warmup) {  // warm-up: context creation and module load stay out of the numbers
    auto w = bench::synthetic_p4(K, d, 1);
    gpu_solver->solve({w.problem}, st);
  }
  std::cout << std::setw(7) << "batch" << std::setw(8) << "g_iters" << std::setw(10) << "gpu_opt" << std::setw(11)
            << "gpu_s" << std::setw(11) << "loop_s" << std::setw(11) << "us/iter" << std::setw(11) << "floor_us"
            << std::setw(9) << "x_floor" << std::setw(11) << "cpu_s" << std::setw(9) << "cpu_opt" << std::setw(8) << "c_iters" << std::setw(10)
            << "cpu/gpu" << std::setw(10) << "max_err" << "\n";
  std::vector<std::string> rows;
  std::ostringstream breakdown;
  breakdown << "GPU wall time split (s):\n" << std::setw(7) << "batch" << std::setw(11) << "host_prep" << std::setw(11)
            << "dev_setup" << std::setw(11) << "loop" << std::setw(11) << "download" << std::setw(11) << "host_post"
            << std::setw(11) << "dev_MB" << std::setw(11) << "est_MB" << "\n";
  for (int B : batches) {
    std::vector<conic::ConicProblem> batch;
    std::vector<double> optimum;
    for (int i = 0; i < B; ++i) {
      auto s = bench::synthetic_p4(K, d, 1000 + i);
      batch.push_back(std::move(s.problem));
      optimum.push_back(s.optimum);
    }
    const Run g = timed_solve(*gpu_solver, batch, optimum, st);
    const auto stats = gpu::last_solve_stats();
    breakdown << std::setw(7) << B << std::setprecision(3) << std::setw(11) << stats.host_setup_seconds << std::setw(11)
              << stats.device_setup_seconds << std::setw(11) << stats.loop_seconds << std::setw(11)
              << stats.download_seconds << std::setw(11) << stats.host_post_seconds << std::setw(11)
              << stats.device_bytes / 1e6 << std::setw(11) << stats.device_bytes_estimated / 1e6 << "\n";
    const double us_iter = stats.loop_iterations > 0 ? stats.loop_seconds * 1e6 / stats.loop_iterations : 0.0;
    // Floor: one cuSOLVER batched eigendecomposition of all (K + 1) B blocks, measured now.
    const double floor_us = gpu::time_psd(d, (K + 1) * B, "cusolver", 3, 99).eig_seconds * 1e6;
    Run c;
    const bool run_cpu = cpu_solver && B <= o.cpu_max_batch;
    if (run_cpu) c = timed_solve(*cpu_solver, batch, optimum, st);  // the CPU reference on all cores
    const double err = std::max(g.max_rel_err, c.max_rel_err);
    std::cout << std::setw(7) << B << std::setw(8) << g.max_iters << std::setw(10) << g.optimal << std::setw(11)
              << std::setprecision(4) << g.wall << std::setw(11) << stats.loop_seconds << std::setw(11) << us_iter
              << std::setw(11) << floor_us << std::setw(9) << (floor_us > 0 ? us_iter / floor_us : 0.0) << std::setw(11)
              << (run_cpu ? c.wall : NAN) << std::setw(9) << (run_cpu ? c.optimal : -1) << std::setw(8) << (run_cpu ? c.max_iters : -1) << std::setw(10)
              << (run_cpu ? c.wall / g.wall : NAN) << std::setw(10) << err << "\n";
    std::ostringstream row;
    row << K << "," << d << "," << B << "," << g.max_iters << "," << g.optimal << "," << g.wall << ","
        << stats.loop_seconds << "," << us_iter << "," << floor_us << "," << (run_cpu ? c.wall : NAN) << ","
        << (run_cpu ? c.optimal : -1) << "," << (run_cpu ? c.max_iters : -1) << "," << err;
    rows.push_back(row.str());
  }
  std::cout << breakdown.str();
  write_csv_file(o.csv,
                 "users,order,batch,gpu_iters,gpu_optimal,gpu_seconds,gpu_loop_seconds,gpu_us_per_iter,eig_floor_us,"
                 "cpu_seconds,cpu_optimal,cpu_iters,max_rel_err",
                 rows);
}

}  // namespace isacbf::apps
