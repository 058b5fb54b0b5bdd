#pragma once
// Plain types shared by the device code and the host-side preparation (no CUDA header, so the
// preparation compiles and is tested in CPU-only builds too).

namespace isacbf::gpu {

enum class EigMethod { automatic, jacobi, cusolver };
const char* to_string(EigMethod method);

// Largest order our own Jacobi kernels take (one thread per matrix up to 4, one warp up to 32).
inline constexpr int kJacobiMaxOrder = 32;
// EigMethod::automatic picks Jacobi up to this order and cuSOLVER above: on the H100 the warp Jacobi
// beat cusolverDnXsyevBatched at n = 8 (0.030 vs 0.080 us per matrix) and lost at n = 16 (0.47 vs 0.31).
inline constexpr int kJacobiAutoOrder = 12;

// A group of same-size PSD blocks in each of `batch` vectors: block j of vector b starts at
// x + b * stride + offset + j * block_len, block_len = n*n (complex) or n(n+1)/2 (real).
struct PsdGroup {
  int n = 0;
  int blocks = 1;
  bool complex = true;
  long long offset = 0;
};

}  // namespace isacbf::gpu
