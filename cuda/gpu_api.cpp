// Device description and the eigen/PSD-projection micro-benchmark behind `isacbf bench --eig`.
#include "cuda/gpu_api.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "cuda/check.hpp"
#include "cuda/psd_batched.hpp"
#include "host/common/errors.hpp"

namespace isacbf::gpu {

std::string device_description() {
  use_selected_device();
  int device = 0;
  check(cudaGetDevice(&device), "cudaGetDevice");
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
  return std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " +
         std::to_string(prop.multiProcessorCount) + " SMs)";
}

namespace {
EigMethod parse_method(const std::string& method) {
  if (method == "jacobi") return EigMethod::jacobi;
  if (method == "cusolver") return EigMethod::cusolver;
  throw std::invalid_argument("eig method must be 'jacobi' or 'cusolver', got '" + method + "'");
}

// Median of `repeats` event-timed runs of f (after one warm-up run).
template <typename F>
double median_time(int repeats, cudaStream_t stream, F&& f) {
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  f();
  check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  std::vector<double> times;
  for (int r = 0; r < std::max(1, repeats); ++r) {
    check(cudaEventRecord(start, stream), "cudaEventRecord");
    f();
    check(cudaEventRecord(stop, stream), "cudaEventRecord");
    check(cudaEventSynchronize(stop), "cudaEventSynchronize");
    float ms = 0.f;
    check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
    times.push_back(ms * 1e-3);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}
}  // namespace

EigTiming time_psd(int n, int batch, const std::string& method_name, int repeats, unsigned seed) {
  use_selected_device();
  const EigMethod method = parse_method(method_name);
  if (method == EigMethod::jacobi && n > kJacobiMaxOrder)
    throw std::invalid_argument("the Jacobi kernels take n <= " + std::to_string(kJacobiMaxOrder));
  // Random Hermitian matrices (full storage) and the same matrices as hvec blocks.
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  const size_t nn = static_cast<size_t>(n) * n;
  std::vector<double> full(2 * nn * batch), hvec(nn * batch);
  for (int b = 0; b < batch; ++b) {
    double* f = full.data() + 2 * nn * b;
    for (int j = 0; j < n; ++j)
      for (int i = j; i < n; ++i) {
        const double re = normal(rng), im = i == j ? 0.0 : normal(rng);
        f[2 * (j * n + i)] = re; f[2 * (j * n + i) + 1] = im;
        f[2 * (i * n + j)] = re; f[2 * (i * n + j) + 1] = -im;
      }
    double* h = hvec.data() + nn * b;
    size_t p = 0;
    for (int j = 0; j < n; ++j) {
      h[p++] = f[2 * (j * n + j)];
      for (int i = j + 1; i < n; ++i) {
        h[p++] = 1.4142135623730951 * f[2 * (j * n + i)];
        h[p++] = 1.4142135623730951 * f[2 * (j * n + i) + 1];
      }
    }
  }
  DeviceBuffer<double> a, w(static_cast<size_t>(n) * batch), v(2 * nn * batch), x, x0;
  a.upload(full.data(), full.size());
  x0.upload(hvec.data(), hvec.size());
  x.resize(hvec.size());
  DeviceBuffer<int> flag(1);
  check(cudaMemset(flag.get(), 0, sizeof(int)), "cudaMemset");
  PsdEngine engine;
  EigTiming t;
  t.eig_seconds = median_time(repeats, engine.stream(), [&] { engine.eig(n, batch, a.get(), w.get(), v.get(), method); });
  PsdGroup group{n, 1, true, 0};
  // Each run projects a fresh copy (a projected block would make later runs trivially PSD); the copy is
  // timed separately and subtracted.
  const double copy = median_time(repeats, engine.stream(), [&] {
    check(cudaMemcpyAsync(x.get(), x0.get(), hvec.size() * 8, cudaMemcpyDeviceToDevice, engine.stream()), "copy");
  });
  const double both = median_time(repeats, engine.stream(), [&] {
    check(cudaMemcpyAsync(x.get(), x0.get(), hvec.size() * 8, cudaMemcpyDeviceToDevice, engine.stream()), "copy");
    engine.project(group, batch, x.get(), static_cast<long long>(nn), nullptr, method, flag.get());
  });
  t.projection_seconds = std::max(0.0, both - copy);
  int failed = 0;
  flag.download(&failed, 1);
  if (failed) throw CudaError("a batched eigendecomposition reported failure during the benchmark");
  return t;
}

}  // namespace isacbf::gpu
