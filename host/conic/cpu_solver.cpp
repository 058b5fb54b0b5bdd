// The CPU reference BatchSolver: one ADMM per instance (admm.cpp), instances spread over a pool of
// std::threads (Settings::threads, 0 = hardware concurrency). An invalid instance does not stop the
// batch: its Solution has status numerical_error and message "batch[i]: <field>: <reason>"; the
// others are solved. The running instances share Settings::memory_limit_gb. A warm_starts vector of the
// wrong length throws InputError("warm_starts"), and invalid Settings throw InputError("settings.FIELD")
// before anything is solved.
#include <string>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/conic/admm.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/memory_estimate.hpp"
#include "host/conic/progress_log.hpp"

namespace isacbf::conic {

namespace {

class CpuSolver final : public BatchSolver {
 public:
  Backend backend() const override { return Backend::cpu; }
  bool concurrent_single_calls() const override { return true; }

  std::vector<Solution> solve(const std::vector<ConicProblem>& batch, const Settings& settings,
                              const std::vector<WarmStart>& warm_starts) override {
    validate_warm_starts(batch.size(), warm_starts);
    validate(settings);
    std::vector<Solution> out(batch.size());
    const WarmStart cold;
    // The instances running at once share the memory limit: each x-system's factor is planned within its
    // share (memory_estimate.hpp), as the CLI's estimate of the batch assumes.
    Settings instance_settings = settings;
    instance_settings.memory_limit_gb = instance_memory_bytes(settings, concurrent_instances(settings, batch.size())) / 1e9;
    parallel_for(
        batch.size(),
        [&](std::size_t i) {
          try {
            validate(batch[i]);
            out[i] = solve_admm(batch[i], instance_settings, warm_starts.empty() ? cold : warm_starts[i],
                                batch.size() > 1 ? static_cast<int>(i) : -1);
          } catch (const std::exception& e) {  // InputError included: this instance fails, the rest are solved
            out[i] = Solution{};
            out[i].status = Status::numerical_error;
            out[i].message = "batch[" + std::to_string(i) + "]: " + e.what();
            ProgressLog(settings.verbose, batch.size() > 1 ? static_cast<int>(i) : -1).outcome(out[i]);
          }
        },
        settings.threads);
    return out;
  }
};

}  // namespace

std::unique_ptr<BatchSolver> make_cpu_solver() { return std::make_unique<CpuSolver>(); }

}  // namespace isacbf::conic
