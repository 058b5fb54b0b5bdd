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


class CpuSolver final : public BatchSolver {
 public:
  Backend backend() const override { return Backend::cpu; }

  std::vector<Solution> solve(const std::vector<ConicProblem>& batch, const Settings& settings,
                              const std::vector<WarmStart>& warm_starts) override {
    if (!warm_starts.empty() && warm_starts.size() != batch.size())
      throw InputError("warm_starts", "has " + std::to_string(warm_starts.size()) + " entries for a batch of " +
                                          std::to_string(batch.size()));
    validate(settings);
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
