// make_solver lives in the backend library (built with or without CUDA), not in isacbf_core: it
// refers to both backends, and the core is linked after isacbf_cuda, so only here do both resolve.
#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_solver(Backend backend) {
  return backend == Backend::gpu ? make_gpu_solver() : make_cpu_solver();
}

}  // namespace isacbf::conic
