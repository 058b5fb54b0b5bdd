#pragma once
// A test BatchSolver that forwards to the CPU reference but batches like the GPU / CVXOPT backends
// (concurrent_single_calls() false), recording every call's size, settings, cone shapes and Anderson extrapolations: with it the model-B batch
// drivers take their lockstep path, which the CPU reference alone would bypass. It also records whether a call
// mixed sparsity patterns of A, which the GPU backend solves as separate device batches.
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
    call_settings.push_back(settings);
    call_cones.push_back(batch.empty() ? conic::ConeSpec{} : batch.front().cones);
    if (keep_problems) call_problems.push_back(batch);
    for (const auto& p : batch) {
      mixed_cones = mixed_cones || !(p.cones == batch.front().cones);
      mixed_patterns = mixed_patterns || !conic::same_sparsity_pattern(p.A, batch.front().A);
    }
    auto solutions = cpu_->solve(batch, settings, warm);
    call_anderson_accepted.push_back(0);
    for (const auto& s : solutions) call_anderson_accepted.back() += s.anderson_accepted;
    return solutions;
  }
  std::vector<std::size_t> call_sizes;
  std::vector<conic::Settings> call_settings;
  std::vector<conic::ConeSpec> call_cones;  // the first problem's (every problem's unless mixed_cones)
  std::vector<int> call_anderson_accepted;  // Anderson extrapolations the call's solutions took, summed
  bool mixed_cones = false;                 // some call held problems of different cone shapes
  bool mixed_patterns = false;              // some call held problems whose A differ in sparsity pattern
  bool keep_problems = false;               // set to keep every call's problems in call_problems
  std::vector<std::vector<conic::ConicProblem>> call_problems;

 private:
  std::unique_ptr<conic::BatchSolver> cpu_ = conic::make_cpu_solver();
};

}  // namespace isacbf::testing
