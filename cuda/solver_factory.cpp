// make_solver lives in the backend library (built with or without CUDA), not in isacbf_core: it
// refers to both backends, and the core is linked after isacbf_cuda, so only here do both resolve.
#include "host/conic/batch_solver.hpp"
#include "host/model_b/manifold_batch.hpp"

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_solver(Backend backend) {
  return backend == Backend::gpu ? make_gpu_solver() : make_cpu_solver();
}

}  // namespace isacbf::conic

namespace isacbf::model_b {

std::unique_ptr<ManifoldBatchSolver> make_manifold_solver(conic::Backend backend) {
  return backend == conic::Backend::gpu ? make_gpu_manifold_solver() : make_cpu_manifold_solver();
}

}  // namespace isacbf::model_b
