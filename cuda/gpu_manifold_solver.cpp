// The GPU ManifoldBatchSolver: flattens the batch (host/model_b/manifold_batch.cpp), runs the lockstep
// Riemannian CG on the device (manifold_batched.cu) and rebuilds one ManifoldResult per instance.
#include <algorithm>

#include "cuda/check.hpp"
#include "cuda/gpu_api.hpp"
#include "cuda/manifold_batched.hpp"
#include "host/common/errors.hpp"
#include "host/model_b/manifold_batch.hpp"

namespace isacbf::gpu {
namespace {
int g_last_rounds = 0;
}  // namespace
int last_manifold_rounds() { return g_last_rounds; }
}  // namespace isacbf::gpu

namespace isacbf::model_b {
namespace {

const kernels::Cx* cx(const std::vector<std::complex<double>>& v) { return reinterpret_cast<const kernels::Cx*>(v.data()); }

class GpuManifoldSolver final : public ManifoldBatchSolver {
 public:
  conic::Backend backend() const override { return conic::Backend::gpu; }

  std::vector<ManifoldResult> minimise(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                       const ManifoldOptions& options) override {
    const ManifoldBatchData data = pack_manifold_batch(problems, F0, options);
    std::vector<ManifoldResult> out(problems.size());
    if (problems.empty()) return out;
    gpu::use_selected_device();  // this thread's current device
    gpu::ManifoldBatchView view;
    view.dims = data.dims;
    view.batch = data.batch;
    view.C = cx(data.C);
    view.B = cx(data.B);
    view.beta = cx(data.beta);
    view.F0 = cx(data.F0);
    view.a = data.a.data();
    view.pen_a = data.pen_a.data();
    view.kappa = data.kappa.data();
    view.pi = data.pi.data();
    view.pen_pi = data.pen_pi.data();
    view.pen_kappa = data.pen_kappa.data();
    view.mu = data.mu.data();
    const gpu::ManifoldBatchOutput res = gpu::minimise_manifold_batched(view, to_cg_options(options));
    gpu::g_last_rounds = res.rounds;
    const int Nt = data.dims.Nt, n_rf = data.dims.N_RF;
    const std::size_t n = static_cast<std::size_t>(Nt) * n_rf, len = static_cast<std::size_t>(options.max_iterations) + 1;
    for (std::size_t i = 0; i < out.size(); ++i) {
      ManifoldResult& r = out[i];
      r.F.resize(Nt, n_rf);
      std::copy_n(reinterpret_cast<const std::complex<double>*>(res.F.data()) + i * n, n, r.F.data());
      r.iterations = res.iterations[i];
      r.cost_trace.assign(res.trace.begin() + static_cast<long>(i * len), res.trace.begin() + static_cast<long>(i * len) + r.iterations + 1);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<ManifoldBatchSolver> make_gpu_manifold_solver() {
  gpu::use_selected_device();
  return std::make_unique<GpuManifoldSolver>();
}

}  // namespace isacbf::model_b
