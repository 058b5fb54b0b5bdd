#include "host/common/array.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf {

Eigen::VectorXcd steering_vector(int n, double theta_rad, double spacing) {
  if (n < 1) throw InputError("Nt", "array size must be >= 1, got " + std::to_string(n));
  Eigen::VectorXcd a(n);
  const double step = 2.0 * kPi * spacing * std::sin(theta_rad);
  for (int i = 0; i < n; ++i) a(i) = std::polar(1.0, step * i);
  return a;
}

Eigen::VectorXcd steering_vector_deg(int n, double theta_deg, double spacing) {
  return steering_vector(n, deg_to_rad(theta_deg), spacing);
}

std::vector<double> normalised_beam_pattern(int n, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg) {
  if (R.rows() != n || R.cols() != n)
    throw InputError("R", "expected " + std::to_string(n) + "x" + std::to_string(n) + ", got " +
                              std::to_string(R.rows()) + "x" + std::to_string(R.cols()));
  std::vector<double> pattern;
  pattern.reserve(theta_deg.size());
  for (double theta : theta_deg) {
    const Eigen::VectorXcd a = steering_vector_deg(n, theta);
    pattern.push_back(std::max(0.0, (a.adjoint() * R * a)(0).real()));
  }
  const double peak = pattern.empty() ? 0.0 : *std::max_element(pattern.begin(), pattern.end());
  if (peak > 0.0)
    for (double& p : pattern) p /= peak;
  return pattern;
}

}  // namespace isacbf
