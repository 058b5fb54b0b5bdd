#pragma once
// Seeded random numbers that are reproducible bit-for-bit across compilers and standard libraries.
// std::mt19937_64's raw output is fully specified by the standard, but std::uniform_real_distribution
// and std::normal_distribution are not (libstdc++, libc++ and MSVC differ), so the transforms are ours:
//   uniform(): the top 53 bits of one raw 64-bit draw, times 2^-53, in [0, 1);
//   normal():  Box-Muller on two uniforms; the second value of each pair is kept for the next call.
// (std::log/std::sin/std::cos are correctly rounded on glibc; other libms may differ in the last ulp.)
#include <Eigen/Dense>
#include <complex>
#include <cstdint>
#include <random>

namespace isacbf {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next_u64() { return engine_(); }
  double uniform();                                   // [0, 1), 53-bit resolution
  double uniform(double low, double high);            // [low, high)
  double normal();                                    // N(0, 1)
  std::complex<double> complex_normal(double variance);  // CN(0, variance): E|z|^2 = variance
  Eigen::VectorXcd complex_normal_vector(int n, double variance);  // i.i.d. CN(0, variance)
  double phase() { return uniform(0.0, 2.0 * 3.14159265358979323846); }  // U[0, 2 pi)

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace isacbf
