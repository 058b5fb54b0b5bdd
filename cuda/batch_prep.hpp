#pragma once
// Host side of the GPU backend, separate from the device code so that it builds (and is tested) without
// CUDA: validation, the CPU reference's Ruiz equilibration, the shared sparsity pattern, the per-instance
// Woodbury factors and starting points (prepare_batch); unscaled Solutions from the final iterates with
// the CPU reference's conventions (finish_batch).
#include <functional>
#include <vector>

#include "cuda/admm_batched.hpp"
#include "host/conic/equilibration.hpp"
#include "host/conic/problem.hpp"

namespace isacbf::gpu {

struct PreparedBatch {
  AdmmHostData data;
  std::vector<int> index;                 // device slot -> position in the batch
  std::vector<conic::Equilibration> eq;   // per slot
};

// Invalid instances get their Solution in `out` (numerical_error, "batch[i]: ...", as the CPU reference)
// and no slot. Throws InputError when the valid instances differ in cone structure or sparsity of A.
PreparedBatch prepare_batch(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                            const std::vector<conic::WarmStart>& warm_starts, std::vector<conic::Solution>& out);

void finish_batch(const std::vector<conic::ConicProblem>& batch, const PreparedBatch& prep, const AdmmResult& res,
                  double seconds, std::vector<conic::Solution>& out);

// f(0) ... f(count - 1) over the hardware threads, in contiguous chunks.
void parallel_for(int count, const std::function<void(int)>& f);

}  // namespace isacbf::gpu
