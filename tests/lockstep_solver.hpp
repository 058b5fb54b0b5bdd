#pragma once
// A test BatchSolver that forwards to the CPU reference but batches like the GPU / CVXOPT backends
// (concurrent_single_calls() false), recording the size of every call: with it the model-B batch
// drivers take their lockstep path, which the CPU reference alone would bypass.
#include <memory>
#include <vector>

#include "host/conic/batch_solver.hpp"

namespace isacbf::testing {

class LockstepSolver final : public conic::BatchSolver {
 public:
  conic::Backend backend() const override { return conic::Backend::cpu; }
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm = {}) override {
    call_sizes.push_back(batch.size());
    return cpu_->solve(batch, settings, warm);
  }
  std::vector<std::size_t> call_sizes;

 private:
  std::unique_ptr<conic::BatchSolver> cpu_ = conic::make_cpu_solver();
};

}  // namespace isacbf::testing
