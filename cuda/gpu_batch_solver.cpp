// The GPU BatchSolver: host preparation (batch_prep.cpp), the device ADMM (admm_batched.cu), and
// the unscaled Solutions; also the process-wide eigensolver choice and the last solve's timings.
#include <chrono>
#include <cstdio>
#include <string>

#include "cuda/batch_prep.hpp"
#include "cuda/check.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/device_batch.hpp"
#include "host/conic/grouped_solve.hpp"
#include "host/conic/progress_log.hpp"

namespace isacbf::gpu {
namespace {
SolveStats g_last_stats;
EigMethod g_eig_method = EigMethod::automatic;
}  // namespace

SolveStats last_solve_stats() { return g_last_stats; }

void set_eig_method(const std::string& method) {
  if (method == "auto") g_eig_method = EigMethod::automatic;
  else if (method == "jacobi") g_eig_method = EigMethod::jacobi;
  else if (method == "cusolver") g_eig_method = EigMethod::cusolver;
  else throw InputError("eig_method", "must be auto, jacobi or cusolver, got '" + method + "'");
}

namespace {

class GpuBatchSolver final : public conic::BatchSolver {
 public:
  conic::Backend backend() const override { return conic::Backend::gpu; }

  // One device batch needs one cone shape and one sparsity pattern of A: a batch that mixes them (model B's
  // carrier designs, whose sensing carrier differs per design) runs as one device batch per structure. A
  // structure group larger than the device's free memory holds (or than Settings::gpu_max_batch) runs as
  // several device batches, one after the other (host/conic/device_batch.hpp).
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm_starts) override {
    conic::validate_warm_starts(batch.size(), warm_starts);
    conic::validate(settings);
    const auto groups = device_batches(batch, settings);
    std::vector<conic::Solution> out;
    if (groups.size() <= 1) {
      out = solve_device_batch(batch, settings, warm_starts);
      log_outcomes(settings, out);
      return out;
    }
    SolveStats total;
    out = conic::solve_each_group(
        groups, batch, warm_starts, [&](const std::vector<conic::ConicProblem>& part, const std::vector<conic::WarmStart>& warm, std::size_t) {
          auto solved = solve_device_batch(part, settings, warm);
          total += g_last_stats;
          return solved;
        });
    g_last_stats = total;
    log_outcomes(settings, out);
    return out;
  }

 private:
  // The structure groups, each cut to what the device's free memory holds.
  static std::vector<std::vector<std::size_t>> device_batches(const std::vector<conic::ConicProblem>& batch,
                                                              const conic::Settings& settings) {
    std::vector<std::vector<std::size_t>> out;
    if (batch.empty()) return out;
    use_selected_device();
    std::size_t free_bytes = 0, total_bytes = 0;
    check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
    for (const auto& group : conic::structure_groups(batch, /*by_pattern=*/true)) {
      const double per_instance = conic::device_bytes_per_instance(batch[group.front()], settings);
      const std::size_t capacity =
          conic::device_batch_capacity(static_cast<double>(free_bytes), per_instance, settings.gpu_max_batch);
      const auto pieces = conic::cut_group(group, capacity);
      if (pieces.size() > 1 && settings.verbose) {
        char line[200];
        std::snprintf(line, sizeof line, "%zu instances as %zu device batches of at most %zu (%.3g MB each by estimate, %.3g MB free)",
                      group.size(), pieces.size(), capacity, per_instance / 1e6, static_cast<double>(free_bytes) / 1e6);
        conic::ProgressLog(true, -1).note(line);
      }
      out.insert(out.end(), pieces.begin(), pieces.end());
    }
    return out;
  }

  // Settings::verbose: each instance's outcome line, indexed in the caller's batch.
  static void log_outcomes(const conic::Settings& settings, const std::vector<conic::Solution>& out) {
    for (std::size_t i = 0; i < out.size(); ++i)
      conic::ProgressLog(settings.verbose, out.size() > 1 ? static_cast<int>(i) : -1).outcome(out[i]);
  }

  std::vector<conic::Solution> solve_device_batch(const std::vector<conic::ConicProblem>& batch,
                                                  const conic::Settings& settings,
                                                  const std::vector<conic::WarmStart>& warm_starts) {
    std::vector<conic::Solution> out;
    g_last_stats = {};
    if (batch.empty()) return out;
    use_selected_device();  // this thread's current device
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const PreparedBatch prep = prepare_batch(batch, settings, warm_starts, out);
    if (prep.index.empty()) return out;
    AdmmParams prm;
    prm.eps_abs = settings.eps_abs;
    prm.eps_rel = settings.eps_rel;
    prm.eps_infeas = settings.eps_infeas;
    prm.norm_cap = settings.norm_cap;
    prm.alpha = settings.alpha;
    prm.max_iters = settings.max_iters;
    prm.check_interval = settings.check_interval;
    prm.time_limit_s = settings.time_limit_s;
    prm.eig = g_eig_method;
    prm.adaptive_scale = settings.adaptive_scale;
    prm.scale_rule = conic::scale_rule(settings);
    prm.rho_x = settings.rho_x;
    prm.anderson_memory = settings.anderson_memory;
    prm.anderson_type1 = settings.anderson_type1;
    prm.anderson_reg = settings.anderson_reg;
    prm.anderson_safeguard = settings.anderson_safeguard;
    prm.anderson_interval = settings.anderson_interval;
    prm.anderson_reset_on_reject = settings.anderson_reset_on_reject;
    for (const auto& grp : prep.data.layout.psd)
      if (prm.eig == EigMethod::jacobi && grp.n > kJacobiMaxOrder)
        throw InputError("eig_method", "jacobi takes PSD blocks of order <= 32");
    conic::ProgressLog progress(settings.verbose, -1);
    if (progress.on()) {
      progress.header(batch[prep.index.front()], settings, "woodbury-gpu");
      prm.on_check = [&](long long iterations, int running) {
        progress.batch_row(static_cast<int>(iterations), running, static_cast<int>(prep.index.size()),
                           std::chrono::duration<double>(clock::now() - t0).count());
      };
    }
    const auto t1 = clock::now();
    const AdmmResult res = solve_admm_batched(prep.data, prm);
    const auto t2 = clock::now();
    finish_batch(batch, prep, res, std::chrono::duration<double>(t2 - t0).count(), out);
    const auto t3 = clock::now();
    // a device batch shares its pattern and cones, so every instance has the same estimate
    const double estimated = static_cast<double>(prep.index.size()) *
                             conic::device_bytes_per_instance(batch[static_cast<std::size_t>(prep.index.front())], settings);
    g_last_stats = {std::chrono::duration<double>(t1 - t0).count(), res.setup_seconds, res.solve_seconds,
                    res.download_seconds, std::chrono::duration<double>(t3 - t2).count(), res.total_iterations,
                    res.device_bytes, estimated};
    return out;
  }
};

}  // namespace
}  // namespace isacbf::gpu

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_gpu_solver() {
  gpu::use_selected_device();
  return std::make_unique<gpu::GpuBatchSolver>();
}

}  // namespace isacbf::conic
