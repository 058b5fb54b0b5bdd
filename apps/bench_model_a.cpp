#include "apps/bench_model_a.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <thread>

#include "apps/bench_model_a_run.hpp"
#include "apps/bench_table.hpp"
#include "apps/eig_floor.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/model_a/generator.hpp"

namespace isacbf::apps {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Case {
  model_a::Form form;
  int nt, users;
};

std::vector<Case> cases(const ModelABenchOptions& o) {
  std::vector<Case> out;
  const std::vector<int> users = o.users.empty() ? std::vector<int>{3, 8} : o.users;
  for (const auto form : {model_a::Form::reduced, model_a::Form::full}) {
    if (o.form != "both" && o.form != (form == model_a::Form::full ? "full" : "reduced")) continue;
    const std::vector<int> nts = !o.nt.empty()                  ? o.nt
                                 : form == model_a::Form::full ? std::vector<int>{8, 16, 32, 64}
                                                               : std::vector<int>{8, 64, 256};
    for (int nt : nts)
      for (int k : users) out.push_back({form, nt, k});
  }
  return out;
}

// Same instances as `isacbf generate --model target_eavesdropper --Nt NT --K K --seed SEED + i`.
std::vector<model_a::Instance> generate(const Case& c, int count, std::uint64_t seed) {
  model_a::Scenario s;
  model_a::set_parameter(s, "Nt", c.nt);
  model_a::set_parameter(s, "K", c.users);
  std::vector<model_a::Instance> out;
  for (int i = 0; i < count; ++i) out.push_back(model_a::generate(s, seed + static_cast<std::uint64_t>(i)));
  return out;
}

std::string cpu_description() {
  std::ifstream info("/proc/cpuinfo");
  std::string line, model = "CPU";
  while (std::getline(info, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " threads";
}

std::vector<BenchColumn> columns() {
  return {{"form", 8},           {"Nt", 5},
          {"K", 3},              {"batch", 7},
          {"seed", 6, false},    {"psd_blocks", 11},
          {"gpu_s", 10},         {"gpu_status", 24, false},
          {"gpu_opt", 8},        {"gpu_sca_iters", 10, false},
          {"gpu_admm_iters", 10, false}, {"gpu_admm_mean", 10, false},
          {"gpu_us_iter", 12},   {"floor_us_iter", 14},
          {"iter/floor", 11},    {"cpu_s", 10},
          {"cpu_status", 24, false}, {"cpu_opt", 8},
          {"cpu_sca_iters", 10, false}, {"cpu_admm_iters", 10, false},
          {"cpu_admm_mean", 14}, {"cpu_us_inst_iter", 10, false},
          {"cpu_sr_mean", 12, false}, {"cpu/gpu", 9},
          {"same_status", 12},   {"max_sr_rel_diff", 16},
          {"cvxopt_n", 9, false}, {"cvxopt_opt", 11, false},
          {"cvxopt_s_inst", 14}, {"cvxopt/gpu", 11},
          {"cvxopt/cpu", 11}};
}

}  // namespace

void add_model_a_bench_options(CLI::App& cmd, ModelABenchOptions& o) {
  cmd.add_option("--form", o.form, "--model-a: reduced | full | both (default both)");
  cmd.add_option("--nt", o.nt, "--model-a / --manifold: antennas Nt (default: reduced 8,64,256; full 8,16,32,64; --manifold 32,64,256)")->delimiter(',');
  cmd.add_option("--seed", o.seed, "--model-a / --manifold: seed of instance 0 of every case (instance i: seed + i; default 1)");
  cmd.add_option("--cvxopt-instances", o.cvxopt_instances, "--model-a: instances timed with CVXOPT per case (default 3; 0 = none)");
  cmd.add_option("--cvxopt-max-nt", o.cvxopt_max_nt, "--model-a: CVXOPT only for Nt <= this (default 16)");
  cmd.add_flag("--no-gpu", o.no_gpu, "--model-a / --manifold: CPU reference (and CVXOPT) only (GPU columns n/a)");
}

void validate(const ModelABenchOptions& o) {
  if (o.form != "reduced" && o.form != "full" && o.form != "both") throw InputError("form", "must be reduced, full or both");
  for (int n : o.nt)
    if (n < 1 || n > 4096) throw InputError("nt", "every Nt must be in [1, 4096]");
  for (int k : o.users)
    if (k < 1 || k > 1024) throw InputError("users", "every K must be in [1, 1024]");
  for (int b : o.batches)
    if (b < 1) throw InputError("batches", "every batch must be at least 1");
  if (o.cvxopt_instances < 0) throw InputError("cvxopt-instances", "must be >= 0");
  if (o.cvxopt_max_nt < 0) throw InputError("cvxopt-max-nt", "must be >= 0");
  if (o.cpu_max_batch < 0) throw InputError("cpu-max-batch", "must be >= 0");
  if (!(o.eps > 0.0)) throw InputError("eps", "must be positive");
  if (o.eig_method != "auto" && o.eig_method != "jacobi" && o.eig_method != "cusolver")
    throw InputError("eig-method", "must be auto, jacobi or cusolver");
}

void run_model_a_bench(const ModelABenchOptions& o) {
  validate(o);
  BenchTable table(columns(), o.csv);  // an unwritable --csv fails here, before any work
  // Without --no-gpu a missing GPU ends here with GpuUnavailable (exit 3), before any work.
  const std::string device = o.no_gpu ? "none (--no-gpu)" : gpu::device_description();
  std::cout << "device: " << device << "; CPU reference: "
            << cpu_description() << " (all of them)\n";
  if (!o.no_gpu) gpu::set_eig_method(o.eig_method);
  const std::vector<int> batches = o.batches.empty() ? std::vector<int>{1, 16, 256, 1024, 4096, 16384} : o.batches;
  model_a::ScaOptions sca;  // the defaults of `isacbf solve`: proposed scheme, tight update
  sca.solver.eps_abs = sca.solver.eps_rel = o.eps;
  sca.solver.threads = 0;  // the CPU reference on all cores
  sca.validate();
  std::cout << "model A, Algorithm 1 end to end (scheme proposed, sca_update tight, conic eps " << o.eps
            << "); instances from the generator's defaults with Nt and K set, instance i seed " << o.seed << " + i\n"
            << "gpu_us_iter: GPU loop time per batched ADMM iteration; floor_us_iter: solver.md's H100 "
               "eigendecomposition floor of the batch's PSD blocks per iteration\n";
  if (!o.no_gpu) {  // warm-up: context creation and module loads stay out of the numbers
    auto w = sca;
    w.form = model_a::Form::reduced;
    run_backend(generate({model_a::Form::reduced, 8, 3}, 1, o.seed), w, "gpu");
  }
  const bool cvxopt = o.cvxopt_instances > 0 && crosscheck::cvxopt_available();
  if (o.cvxopt_instances > 0 && !cvxopt)
    std::cout << "note: CVXOPT columns n/a: it needs /usr/bin/python3 with cvxopt and numpy\n";
  table.print_header(std::cout);
  std::vector<std::string> notes;
  for (const Case& c : cases(o)) {
    auto opt = sca;
    opt.form = c.form;
    const std::string form = c.form == model_a::Form::full ? "full" : "reduced";
    const int d = c.form == model_a::Form::full ? c.nt : std::min(c.users + 1, c.nt);  // model_a/subspace.hpp
    const std::string blocks = std::to_string(c.users + 1) + "x" + std::to_string(d) + "^2";
    // CVXOPT per instance: once per (form, Nt, K); its time per instance does not depend on the batch.
    BackendRun cvx;
    int cvx_n = 0;
    if (cvxopt && c.nt <= o.cvxopt_max_nt) {
      cvx_n = o.cvxopt_instances;
      cvx = run_backend(generate(c, cvx_n, o.seed), opt, "cvxopt");
    }
    const double cvx_per = cvx_n > 0 ? cvx.seconds / cvx_n : kNaN;
    for (int B : batches) {
      const auto instances = generate(c, B, o.seed);
      BackendRun gpu, cpu;
      const bool run_gpu = !o.no_gpu, run_cpu = B <= o.cpu_max_batch;
      if (run_gpu) gpu = run_backend(instances, opt, "gpu");
      if (run_cpu) cpu = run_backend(instances, opt, "cpu");
      else notes.push_back(form + " Nt " + std::to_string(c.nt) + " K " + std::to_string(c.users) + " batch " +
                           std::to_string(B) + ": CPU reference skipped (batch > --cpu-max-batch " +
                           std::to_string(o.cpu_max_batch) + ")");
      const auto& g = gpu.counts;
      const double g_us = run_gpu && g.gpu_loop_iterations > 0 ? g.gpu_loop_seconds * 1e6 / g.gpu_loop_iterations : kNaN;
      // The floor of one batched GPU iteration: from the GPU's calls only (the CPU reference runs each
      // instance alone, so its calls are not the GPU's batches).
      const double floor_us = run_gpu && g.batch_iterations > 0 ? g.floor_us / g.batch_iterations : kNaN;
      const Agreement agree = run_gpu && run_cpu ? compare(gpu, cpu) : Agreement{};
      auto both = [&](double v) { return run_gpu && run_cpu ? v : kNaN; };
      auto on_gpu = [&](double v) { return run_gpu ? v : kNaN; };
      auto on_cpu = [&](double v) { return run_cpu ? v : kNaN; };
      table.add_row(
          {form, std::to_string(c.nt), std::to_string(c.users), std::to_string(B), std::to_string(o.seed), blocks,
           cell(on_gpu(gpu.seconds)), run_gpu ? gpu.status_summary() : "n/a", cell(on_gpu(gpu.optimal())),
           cell(on_gpu(double(gpu.sca_iterations())), 12), cell(on_gpu(double(g.instance_iterations)), 12),
           cell(on_gpu(double(g.instance_iterations) / B)), cell(g_us), cell(floor_us), cell(g_us / floor_us, 3),
           cell(on_cpu(cpu.seconds)), run_cpu ? cpu.status_summary() : "n/a", cell(on_cpu(cpu.optimal())),
           cell(on_cpu(double(cpu.sca_iterations())), 12), cell(on_cpu(double(cpu.counts.instance_iterations)), 12),
           cell(on_cpu(double(cpu.counts.instance_iterations) / B)),
           cell(on_cpu(cpu.counts.instance_iterations > 0 ? cpu.seconds * 1e6 / cpu.counts.instance_iterations : kNaN)),
           cell(on_cpu(cpu.mean_secrecy_rate()), 12), cell(both(cpu.seconds / gpu.seconds), 3),
           run_gpu && run_cpu ? std::to_string(agree.same_status) + "/" + std::to_string(B) : "n/a",
           cell(both(agree.both_optimal > 0 ? agree.max_rel_secrecy_rate_diff : kNaN), 3), std::to_string(cvx_n),
           cvx_n > 0 ? std::to_string(cvx.optimal()) : "n/a", cell(cvx_per),
           cell(on_gpu(cvx_per / (gpu.seconds / B)), 4), cell(on_cpu(cvx_per / (cpu.seconds / B)), 4)},
          std::cout);
    }
  }
  for (const auto& n : notes) std::cout << "note: " << n << "\n";
}

}  // namespace isacbf::apps
