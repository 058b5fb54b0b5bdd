// The CPU reference BatchSolver: one ADMM per instance (admm.cpp), instances spread over a pool of
// std::threads (Settings::threads, 0 = hardware concurrency). An invalid instance does not stop the
// batch: its Solution has status numerical_error and message "batch[i]: <field>: <reason>"; the
// others are solved. A warm_starts vector of the wrong length throws InputError("warm_starts"), and
// invalid Settings throw InputError("settings.FIELD") before anything is solved.
#include <algorithm>
#include <cmath>
#include <atomic>
#include <thread>

#include "host/common/errors.hpp"
#include "host/conic/admm.hpp"
#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

namespace {

void validate_settings(const Settings& s) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
  if (!(std::isfinite(s.eps_abs) && s.eps_abs >= 0.0)) throw InputError("settings.eps_abs", "must be >= 0");
  if (!(std::isfinite(s.eps_rel) && s.eps_rel >= 0.0)) throw InputError("settings.eps_rel", "must be >= 0");
  if (s.eps_abs == 0.0 && s.eps_rel == 0.0) throw InputError("settings.eps_abs", "eps_abs and eps_rel are both 0");
  if (!(s.norm_cap >= 0.0)) throw InputError("settings.norm_cap", "must be >= 0");
  if (!positive(s.eps_infeas)) throw InputError("settings.eps_infeas", "must be > 0");
  if (s.max_iters < 1) throw InputError("settings.max_iters", "must be >= 1");
  if (!(std::isfinite(s.time_limit_s) && s.time_limit_s >= 0.0)) throw InputError("settings.time_limit_s", "must be >= 0");
  if (!(s.alpha > 0.0 && s.alpha < 2.0)) throw InputError("settings.alpha", "must be in (0, 2)");
  if (!positive(s.scale)) throw InputError("settings.scale", "must be > 0");
  if (!positive(s.rho_x)) throw InputError("settings.rho_x", "must be > 0");
  if (s.equilibration_passes < 0) throw InputError("settings.equilibration_passes", "must be >= 0");
  if (s.anderson_memory < 0) throw InputError("settings.anderson_memory", "must be >= 0");
  if (s.anderson_interval < 1) throw InputError("settings.anderson_interval", "must be >= 1");
  if (!(std::isfinite(s.anderson_reg) && s.anderson_reg >= 0.0)) throw InputError("settings.anderson_reg", "must be >= 0");
  if (!positive(s.anderson_safeguard)) throw InputError("settings.anderson_safeguard", "must be > 0");
  if (s.check_interval < 1) throw InputError("settings.check_interval", "must be >= 1");
  if (s.threads < 0) throw InputError("settings.threads", "must be >= 0");
  if (s.scale_update_min_iters < 1) throw InputError("settings.scale_update_min_iters", "must be >= 1");
  if (!s.linear_solver.empty() && s.linear_solver != "woodbury" && s.linear_solver != "dense_llt" &&
      s.linear_solver != "sparse_ldlt")
    throw InputError("settings.linear_solver", "must be '', 'woodbury', 'dense_llt' or 'sparse_ldlt'");
}

class CpuSolver final : public BatchSolver {
 public:
  Backend backend() const override { return Backend::cpu; }

  std::vector<Solution> solve(const std::vector<ConicProblem>& batch, const Settings& settings,
                              const std::vector<WarmStart>& warm_starts) override {
    if (!warm_starts.empty() && warm_starts.size() != batch.size())
      throw InputError("warm_starts", "has " + std::to_string(warm_starts.size()) + " entries for a batch of " +
                                          std::to_string(batch.size()));
    validate_settings(settings);
    std::vector<Solution> out(batch.size());
    const WarmStart cold;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t i = next++; i < batch.size(); i = next++) {
        try {
          validate(batch[i]);
          out[i] = solve_admm(batch[i], settings, warm_starts.empty() ? cold : warm_starts[i]);
        } catch (const InputError& e) {
          out[i] = Solution{};
          out[i].status = Status::numerical_error;
          out[i].message = "batch[" + std::to_string(i) + "]: " + e.what();
        } catch (const std::exception& e) {
          out[i] = Solution{};
          out[i].status = Status::numerical_error;
          out[i].message = "batch[" + std::to_string(i) + "]: " + e.what();
        }
      }
    };
    unsigned threads = settings.threads > 0 ? static_cast<unsigned>(settings.threads)
                                            : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, batch.size()));
    if (threads <= 1) {
      worker();
      return out;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
    return out;
  }
};

}  // namespace

std::unique_ptr<BatchSolver> make_cpu_solver() { return std::make_unique<CpuSolver>(); }

}  // namespace isacbf::conic
