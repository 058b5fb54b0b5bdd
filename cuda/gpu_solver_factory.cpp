// Placeholder for make_gpu_solver until the batched ADMM driver lands.
#include <cuda_runtime.h>

#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_gpu_solver() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0)
    throw GpuUnavailable("no CUDA device is present");
  throw GpuUnavailable("the GPU conic backend is not implemented in this build yet");
}

}  // namespace isacbf::conic
