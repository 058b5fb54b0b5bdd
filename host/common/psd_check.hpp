#pragma once
// Checks that a design matrix is square of the right order, finite, Hermitian and PSD within a
// tolerance relative to its own scale (||X||_F): solver output is only accurate to its tolerance.
#include <Eigen/Dense>
#include <string>

namespace isacbf {

// Throws InputError(field) when X is not n x n, has non-finite entries, ||X - X^H||_F > tol ||X||_F,
// or its smallest eigenvalue is below -tol ||X||_F.
void check_hermitian_psd(const Eigen::MatrixXcd& X, long n, const std::string& field, double tol);
inline Eigen::MatrixXcd hermitian_part(const Eigen::MatrixXcd& X) { return 0.5 * (X + X.adjoint()); }

}  // namespace isacbf
