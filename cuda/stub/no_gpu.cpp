// CPU-only build: the GPU backend exists as a name only, and asking for it fails cleanly (exit code 3).
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/common/gpu_device_choice.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/model_b/manifold_batch.hpp"

namespace isacbf::conic {

std::unique_ptr<BatchSolver> make_gpu_solver() {
  throw GpuUnavailable("this isacbf was built without CUDA (configure with -DISACBF_WITH_CUDA=ON on a machine with nvcc)");
}

}  // namespace isacbf::conic

namespace isacbf::gpu {

std::string device_description() { throw GpuUnavailable("this isacbf was built without CUDA"); }
EigTiming time_psd(int, int, const std::string&, int, unsigned) {
  throw GpuUnavailable("this isacbf was built without CUDA");
}

}  // namespace isacbf::gpu

namespace isacbf::gpu {
SolveStats last_solve_stats() { return {}; }
void set_eig_method(const std::string&) {}
int last_manifold_rounds() { return 0; }
void set_device_choice(const std::string& text) { parse_device_choice(text); }  // the same errors as with CUDA
std::string use_selected_device() { throw GpuUnavailable("this isacbf was built without CUDA"); }
}  // namespace isacbf::gpu

namespace isacbf::model_b {
std::unique_ptr<ManifoldBatchSolver> make_gpu_manifold_solver() {
  throw GpuUnavailable("this isacbf was built without CUDA (configure with -DISACBF_WITH_CUDA=ON on a machine with nvcc)");
}
}  // namespace isacbf::model_b
