// CPU-only build: the GPU backend exists as a name only, and asking for it fails cleanly (exit code 3).
#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_gpu_solver() {
  throw GpuUnavailable("this isacbf was built without CUDA (configure with -DISACBF_WITH_CUDA=ON on a machine with nvcc)");
}

}  // namespace isacbf::conic
