#pragma once
// Uniform linear array helpers shared by both models: a(theta)_n = exp(j 2 pi (d/lambda) n sin theta),
// n = 0..N-1, d/lambda = 0.5 (model A writes it with d/lambda, model B as exp(j pi n sin theta): the same).
#include <Eigen/Dense>
#include <vector>

namespace isacbf {

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kHalfWavelength = 0.5;  // d / lambda

inline double deg_to_rad(double deg) { return deg * kPi / 180.0; }

// Not normalised: every entry has modulus 1, so ||a||^2 = n.
Eigen::VectorXcd steering_vector(int n, double theta_rad, double spacing = kHalfWavelength);
Eigen::VectorXcd steering_vector_deg(int n, double theta_deg, double spacing = kHalfWavelength);

// P(theta) = a(theta)^H R a(theta) for each angle, divided by its maximum (all zeros when R = 0).
// R must be n x n; throws InputError("R") otherwise.
std::vector<double> normalised_beam_pattern(int n, const Eigen::MatrixXcd& R, const std::vector<double>& theta_deg);

}  // namespace isacbf
