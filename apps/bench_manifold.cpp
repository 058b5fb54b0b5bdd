#include "apps/bench_manifold.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <random>

#include "apps/bench_table.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/had_design.hpp"
#include "host/model_b/manifold_batch.hpp"
#include "host/model_b/mo_altmin.hpp"

namespace isacbf::apps {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Pool {
  std::vector<model_b::ManifoldProblem> problems;
  std::vector<Eigen::MatrixXcd> F0;
};

// The generated problems, prepared over all cores (MO-AltMin dominates: ~1 s per instance at Nt 256).
Pool make_pool(int nt, const ManifoldBenchOptions& o) {
  model_b::Scenario sc;
  model_b::set_parameter(sc, "Nt", nt);
  model_b::set_parameter(sc, "Nr", nt);
  model_b::HadOptions had;
  had.n_rf = o.n_rf;
  Pool pool;
  pool.problems.resize(static_cast<std::size_t>(o.distinct));
  pool.F0.resize(static_cast<std::size_t>(o.distinct));
  parallel_for(static_cast<std::size_t>(o.distinct), [&](std::size_t i) {
    pool.problems[i] = model_b::had_start_analog_problem(model_b::generate(sc, o.seed + i), had, pool.F0[i]);
  });
  return pool;
}

// Batch entry i: pool problem i % distinct; its MO-AltMin start for the first pass, then random
// unit-modulus starts (seeded by i) so that repeated problems follow different trajectories.
void fill_batch(const Pool& pool, int batch, std::vector<model_b::ManifoldProblem>& problems, std::vector<Eigen::MatrixXcd>& F0) {
  const int distinct = static_cast<int>(pool.problems.size());
  problems.clear();
  F0.clear();
  for (int i = 0; i < batch; ++i) {
    problems.push_back(pool.problems[static_cast<std::size_t>(i % distinct)]);
    if (i < distinct) {
      F0.push_back(pool.F0[static_cast<std::size_t>(i)]);
      continue;
    }
    std::mt19937_64 rng(static_cast<std::uint64_t>(i));
    std::uniform_real_distribution<double> phase(0.0, 2.0 * 3.14159265358979323846);
    const Eigen::MatrixXcd& shape = pool.F0.front();
    F0.push_back(Eigen::MatrixXcd::NullaryExpr(shape.rows(), shape.cols(), [&] { return std::polar(1.0, phase(rng)); }));
  }
}

// Mean over instances of the final cost divided by the starting cost's scale (a lower mean: a better
// descent on average; GPU and CPU should agree statistically even where single runs drift apart).
double mean_final_over_start(const std::vector<model_b::ManifoldResult>& r) {
  double s = 0.0;
  for (const auto& x : r) s += x.cost_trace.back() / std::max(1.0, std::abs(x.cost_trace.front()));
  return r.empty() ? kNaN : s / static_cast<double>(r.size());
}

double mean_iterations(const std::vector<model_b::ManifoldResult>& r) {
  double s = 0.0;
  for (const auto& x : r) s += x.iterations;
  return r.empty() ? kNaN : s / static_cast<double>(r.size());
}

double mean_rounds(const std::vector<model_b::AltMinResult>& r) {
  double s = 0.0;
  for (const auto& x : r) s += x.rounds;
  return r.empty() ? kNaN : s / static_cast<double>(r.size());
}

// Mean of ||T - F B||_F / ||T||_F at the end of the fits.
double mean_relative_residual(const std::vector<model_b::AltMinResult>& r, const std::vector<Eigen::MatrixXcd>& T) {
  double s = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) s += r[i].residual_trace.back() / T[i].norm();
  return r.empty() ? kNaN : s / static_cast<double>(r.size());
}

// The HAD starts: MO-AltMin of (49)'s targets, instance i of a batch generated with seed + i.
void run_altmin_bench(const ManifoldBenchOptions& o, model_b::ManifoldBatchSolver* gpu) {
  const auto cpu = model_b::make_cpu_manifold_solver();
  const model_b::AltMinOptions ao;
  std::cout << "HAD start: MO-AltMin (49) as one lockstep batch (max " << ao.max_rounds << " rounds, " << ao.manifold_iterations
            << " CG iterations per F step), N_RF " << o.n_rf << ", default model-B scenario; CPU: all cores\n";
  BenchTable table({{"Nt", 5},
                    {"N_RF", 5},
                    {"batch", 7},
                    {"prep_s", 10},
                    {"gpu_s", 10},
                    {"cpu_s", 10},
                    {"cpu/gpu", 9},
                    {"gpu_rounds_mean", 16},
                    {"cpu_rounds_mean", 16},
                    {"gpu_rel_residual", 17},
                    {"cpu_rel_residual", 17}},
                   o.csv);
  table.print_header(std::cout);
  for (int nt : o.nt) {
    model_b::Scenario sc;
    model_b::set_parameter(sc, "Nt", nt);
    model_b::set_parameter(sc, "Nr", nt);
    if (gpu) model_b::mo_altmin_batch({Eigen::MatrixXcd::Ones(nt, 2)}, 1, *gpu);  // warm-up: context, cuBLAS handle
    for (int batch : o.batches) {
      const auto t_prep = std::chrono::steady_clock::now();
      std::vector<Eigen::MatrixXcd> targets(static_cast<std::size_t>(batch));
      parallel_for(targets.size(), [&](std::size_t i) { targets[i] = model_b::had_altmin_target(model_b::generate(sc, o.seed + i)); });
      const double prep_s = seconds_since(t_prep);
      std::vector<model_b::AltMinResult> g, c;
      double gpu_s = kNaN, cpu_s = kNaN;
      if (gpu) {
        const auto t0 = std::chrono::steady_clock::now();
        g = model_b::mo_altmin_batch(targets, o.n_rf, *gpu, ao);
        gpu_s = seconds_since(t0);
      }
      if (batch <= o.cpu_max_batch) {
        const auto t0 = std::chrono::steady_clock::now();
        c = model_b::mo_altmin_batch(targets, o.n_rf, *cpu, ao);
        cpu_s = seconds_since(t0);
      }
      table.add_row({std::to_string(nt), std::to_string(o.n_rf), std::to_string(batch), cell(prep_s), cell(gpu_s), cell(cpu_s),
                     cell(cpu_s / gpu_s, 3), cell(mean_rounds(g)), cell(mean_rounds(c)), cell(mean_relative_residual(g, targets), 6),
                     cell(mean_relative_residual(c, targets), 6)},
                    std::cout);
    }
  }
}

}  // namespace

void validate(const ManifoldBenchOptions& o) {
  for (int nt : o.nt)
    if (nt < 1) throw InputError("nt", "must be >= 1");
  for (int b : o.batches)
    if (b < 1) throw InputError("batches", "must be >= 1");
  if (o.n_rf < 1) throw InputError("n-rf", "must be >= 1");
  for (int nt : o.nt)
    if (o.n_rf > nt) throw InputError("n-rf", "must be <= every Nt (" + std::to_string(nt) + ")");
  if (o.distinct < 1) throw InputError("distinct", "must be >= 1");
  if (o.cpu_max_batch < 0) throw InputError("cpu-max-batch", "must be >= 0");
}

void run_manifold_bench(const ManifoldBenchOptions& in) {
  ManifoldBenchOptions o = in;
  if (o.nt.empty()) o.nt = {32, 64, 256};
  if (o.batches.empty()) o.batches = {1, 64, 256, 1024, 4096};
  validate(o);
  std::unique_ptr<model_b::ManifoldBatchSolver> gpu;
  if (!o.no_gpu) {
    gpu = model_b::make_gpu_manifold_solver();
    std::cout << "device: " << gpu::device_description() << "\n";
  }
  if (o.altmin) return run_altmin_bench(o, gpu.get());
  const auto cpu = model_b::make_cpu_manifold_solver();
  const model_b::ManifoldOptions mo = model_b::HadOptions{}.manifold;
  std::cout << "HAD analog step (Riemannian CG + Armijo, max " << mo.max_iterations << " iterations), N_RF " << o.n_rf
            << ", default model-B scenario (K 4, J 2, Ns 4, 2 clutter); CPU: all cores\n";
  BenchTable table({{"Nt", 5},
                    {"N_RF", 5},
                    {"batch", 7},
                    {"distinct", 9},
                    {"prep_s", 8},
                    {"gpu_s", 10},
                    {"gpu_rounds", 11},
                    {"gpu_iters_mean", 15},
                    {"cpu_s", 10},
                    {"cpu_iters_mean", 15},
                    {"cpu/gpu", 9},
                    {"same_iters", 11},
                    {"max_final_diff/start", 21},
                    {"gpu_final/start", 16},
                    {"cpu_final/start", 16}},
                   o.csv);
  table.print_header(std::cout);
  for (int nt : o.nt) {
    const auto t_prep = std::chrono::steady_clock::now();
    const Pool pool = make_pool(nt, o);
    const double prep_s = seconds_since(t_prep);
    if (gpu) gpu->minimise({pool.problems.front()}, {pool.F0.front()}, mo);  // warm-up: context, cuBLAS handle
    std::vector<model_b::ManifoldProblem> problems;
    std::vector<Eigen::MatrixXcd> F0;
    for (int batch : o.batches) {
      fill_batch(pool, batch, problems, F0);
      std::vector<model_b::ManifoldResult> g, c;
      double gpu_s = kNaN, cpu_s = kNaN;
      if (gpu) {
        const auto t0 = std::chrono::steady_clock::now();
        g = gpu->minimise(problems, F0, mo);
        gpu_s = seconds_since(t0);
      }
      if (batch <= o.cpu_max_batch) {
        const auto t0 = std::chrono::steady_clock::now();
        c = cpu->minimise(problems, F0, mo);
        cpu_s = seconds_since(t0);
      }
      // Rounding drifts apart over a CG run that has not converged on a non-convex cost (most stop at the
      // iteration cap), so the final costs are compared relative to the starting cost's scale, and as means.
      double max_diff = kNaN;
      int same = -1;
      if (!g.empty() && !c.empty()) {
        max_diff = 0.0;
        same = 0;
        for (std::size_t i = 0; i < g.size(); ++i) {
          const double scale = std::max(1.0, std::abs(c[i].cost_trace.front()));
          max_diff = std::max(max_diff, std::abs(g[i].cost_trace.back() - c[i].cost_trace.back()) / scale);
          same += g[i].iterations == c[i].iterations;
        }
      }
      table.add_row({std::to_string(nt), std::to_string(o.n_rf), std::to_string(batch), std::to_string(pool.problems.size()),
                     cell(prep_s), cell(gpu_s), gpu ? std::to_string(gpu::last_manifold_rounds()) : "n/a", cell(mean_iterations(g)),
                     cell(cpu_s), cell(mean_iterations(c)), cell(cpu_s / gpu_s, 3), same < 0 ? "n/a" : std::to_string(same),
                     cell(max_diff, 2), cell(mean_final_over_start(g), 6), cell(mean_final_over_start(c), 6)},
                    std::cout);
    }
  }
}

}  // namespace isacbf::apps
