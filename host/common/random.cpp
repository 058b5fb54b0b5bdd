#include "host/common/random.hpp"

#include <cmath>
#include <stdexcept>

namespace isacbf {

namespace {
constexpr double kTwoPi = 6.28318530717958647692;
constexpr double kTwoPow53 = 9007199254740992.0;
}  // namespace

double Rng::uniform() { return static_cast<double>(engine_() >> 11) / kTwoPow53; }

double Rng::uniform(double low, double high) { return low + (high - low) * uniform(); }

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  spare_ = radius * std::sin(kTwoPi * u2);
  has_spare_ = true;
  return radius * std::cos(kTwoPi * u2);
}

std::complex<double> Rng::complex_normal(double variance) {
  if (!(variance >= 0.0) || !std::isfinite(variance)) throw std::invalid_argument("complex_normal: variance must be finite and >= 0");
  const double scale = std::sqrt(variance / 2.0);
  const double re = normal();
  const double im = normal();
  return {scale * re, scale * im};
}

Eigen::VectorXcd Rng::complex_normal_vector(int n, double variance) {
  if (n < 0) throw std::invalid_argument("complex_normal_vector: negative length");
  Eigen::VectorXcd v(n);
  for (int i = 0; i < n; ++i) v(i) = complex_normal(variance);
  return v;
}

}  // namespace isacbf
