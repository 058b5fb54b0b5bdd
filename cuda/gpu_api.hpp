#pragma once
// GPU entry points for the apps and benches that need no CUDA header: implemented in cuda/gpu_api.cpp,
// and by cuda/stub/no_gpu.cpp (throwing GpuUnavailable) in builds without CUDA.
#include <string>

namespace isacbf::gpu {

// "NVIDIA H100 80GB HBM3 (sm_90, 132 SMs)"; throws GpuUnavailable when no device is usable.
std::string device_description();

struct EigTiming {
  double eig_seconds = 0.0;         // median time of one batched eigendecomposition (values + vectors)
  double projection_seconds = 0.0;  // median time of one batched PSD projection of hvec blocks
};
// Times `batch` random n x n complex Hermitian matrices with method "jacobi" or "cusolver" (device events,
// after a warm-up). Throws std::invalid_argument for a method that does not take n.
EigTiming time_psd(int n, int batch, const std::string& method, int repeats, unsigned seed);

}  // namespace isacbf::gpu

namespace isacbf::gpu {
// Timings of the last GPU BatchSolver::solve in this process (zeros before the first): device set-up
// (upload, Woodbury factors, g = M^-1 h) and the iteration loop, and the iterations the loop ran.
struct SolveStats {
  double host_setup_seconds = 0.0;    // validation, equilibration, Woodbury factors (threads over instances)
  double device_setup_seconds = 0.0;  // allocation, upload, g = M0^-1 h
  double loop_seconds = 0.0;          // the iterations, checks included
  double download_seconds = 0.0;      // iterates back to the host
  double host_post_seconds = 0.0;     // unscaling and residuals of every Solution
  long long loop_iterations = 0;
  // The largest device batch's memory: measured (AdmmResult::device_bytes) and estimated
  // (host/conic/device_batch.hpp, its instances' device_bytes_per_instance summed).
  double device_bytes = 0.0, device_bytes_estimated = 0.0;
  // Sums of two solves (a batch run as several device batches); the memory is the larger one's.
  SolveStats& operator+=(const SolveStats& o) {
    if (o.device_bytes > device_bytes) {
      device_bytes = o.device_bytes;
      device_bytes_estimated = o.device_bytes_estimated;
    }
    host_setup_seconds += o.host_setup_seconds;
    device_setup_seconds += o.device_setup_seconds;
    loop_seconds += o.loop_seconds;
    download_seconds += o.download_seconds;
    host_post_seconds += o.host_post_seconds;
    loop_iterations += o.loop_iterations;
    return *this;
  }
};
SolveStats last_solve_stats();

// Eigensolver of the GPU BatchSolver's PSD projections for this process: "auto" (default: Jacobi up
// to order 12, cuSOLVER above), "jacobi" or "cusolver". Throws InputError("eig_method") otherwise.
void set_eig_method(const std::string& method);
}  // namespace isacbf::gpu

namespace isacbf::gpu {
// The device this process runs on (host/common/gpu_device_choice.hpp): "auto" (default) or a number,
// validated at once (InputError "gpu-device"), applied by the GPU solvers when they are made and run.
void set_device_choice(const std::string& text);
// Makes the chosen device current on the calling thread (resolving the choice on first use) and says
// which it is and why ("device 1 of 4 (local rank 1 from OMPI_COMM_WORLD_LOCAL_RANK)"). Throws
// GpuUnavailable without a device, InputError("gpu-device") for a number beyond the visible devices.
std::string use_selected_device();
}  // namespace isacbf::gpu

namespace isacbf::gpu {
// Lockstep rounds of the last GPU manifold batch in this process (0 before the first).
int last_manifold_rounds();
}  // namespace isacbf::gpu
