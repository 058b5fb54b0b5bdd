#pragma once
// Every CUDA / cuBLAS / cuSOLVER status is checked and turned into an exception naming the call
// (C++17, usable from .cu and .cpp files).
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusolverDn.h>

#include <stdexcept>
#include <string>

namespace isacbf::gpu {

class CudaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw CudaError(std::string(what) + ": CUDA error " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}
inline void check(cusolverStatus_t status, const char* what) {
  if (status != CUSOLVER_STATUS_SUCCESS)
    throw CudaError(std::string(what) + ": cuSOLVER status " + std::to_string(static_cast<int>(status)));
}
inline void check(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw CudaError(std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(status)));
}
// After a kernel launch: catches bad launch configurations at once (execution errors surface at the next sync).
inline void check_launch(const char* what) { check(cudaGetLastError(), what); }

// Owning device buffer (no copies; moves only).
template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t count) { resize(count); }
  ~DeviceBuffer() { cudaFree(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept : ptr_(other.ptr_), size_(other.size_) { other.ptr_ = nullptr; other.size_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(size_, other.size_);
    return *this;
  }
  void resize(size_t count) {
    if (count == size_) return;
    cudaFree(ptr_);
    ptr_ = nullptr;
    size_ = 0;
    if (count > 0) check(cudaMalloc(reinterpret_cast<void**>(&ptr_), count * sizeof(T)), "cudaMalloc");
    size_ = count;
  }
  void upload(const T* host, size_t count) {
    resize(count);
    if (count) check(cudaMemcpy(ptr_, host, count * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy H2D");
  }
  void download(T* host, size_t count) const {
    if (count) check(cudaMemcpy(host, ptr_, count * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
  }
  T* get() const { return ptr_; }
  size_t size() const { return size_; }

 private:
  T* ptr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace isacbf::gpu

namespace isacbf::gpu {
// True when at least one CUDA device can be used (tests skip otherwise).
inline bool device_present() {
  int count = 0;
  return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}
}  // namespace isacbf::gpu
