#pragma once
// A random unitary n x n matrix (orthogonal for real Scalar): the Q factor of a matrix of standard normal
// entries, real and imaginary parts drawn in turn for complex Scalar. Shared by the CPU PSD projection
// benchmark (bench/bench_eig_cpu.cpp) and its test (tests/test_psd_projection_lapack.cpp). The caller's
// normal distribution is used, so its later draws continue the same sequence.
#include <Eigen/Dense>
#include <random>
#include <type_traits>

namespace isacbf::bench {

template <class Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> random_unitary(int n, std::normal_distribution<double>& g,
                                                                     std::mt19937& rng) {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  Mat r(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<Scalar, double>) r(i, j) = g(rng);
      else r(i, j) = Scalar(g(rng), g(rng));
    }
  return Eigen::HouseholderQR<Mat>(r).householderQ();
}

}  // namespace isacbf::bench
