#pragma once
// The seam between the outer loops (SCA, FP) and the conic backends. A batch is B problems; each gets its
// own Solution. Batches of one ConeSpec and one sparsity pattern of A batch best: the GPU runs one device
// batch per such structure (conic::structure_groups), the CPU reference solves every problem on its own.
// A single solve is a batch of one. Model code only sees this interface.
#include <memory>
#include <string>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::conic {

enum class Backend { cpu, gpu };
Backend parse_backend(const std::string& name);  // throws InputError("backend", ...)
const char* to_string(Backend backend);

class BatchSolver {
 public:
  virtual ~BatchSolver() = default;
  virtual Backend backend() const = 0;
  // warm_starts is empty or has one entry per problem (an entry with empty vectors is a cold start).
  virtual std::vector<Solution> solve(const std::vector<ConicProblem>& batch, const Settings& settings,
                                      const std::vector<WarmStart>& warm_starts = {}) = 0;
  // True when a problem alone costs no more than the same problem in a batch and solve() may be called
  // from several threads at once (the CPU reference: independent ADMMs). Drivers whose instances take
  // uneven numbers of steps (model B's FP designs) then run each instance on its own thread instead of
  // in lockstep rounds that wait for the slowest. False for batching backends (GPU, CVXOPT processes).
  virtual bool concurrent_single_calls() const { return false; }
};

std::unique_ptr<BatchSolver> make_cpu_solver();
// Throws GpuUnavailable when the build has no CUDA or no usable device is present.
std::unique_ptr<BatchSolver> make_gpu_solver();
std::unique_ptr<BatchSolver> make_solver(Backend backend);

}  // namespace isacbf::conic
