#pragma once
// hvec / hmat: the complex Hermitian PSD cone's vectorisation (host/conic/problem.hpp), so that
// <X, Y> = Re Tr(X Y) = hvec(X)^T hvec(Y). Per column j: X_jj, then for i > j: sqrt2 Re X_ij, sqrt2 Im X_ij.
#include <Eigen/Dense>

namespace isacbf::model_a {

Eigen::VectorXd hvec(const Eigen::MatrixXcd& X);          // X square (only the lower triangle is read)
Eigen::MatrixXcd hmat(const Eigen::VectorXd& v, int n);   // inverse of hvec; v.size() == n*n

// hvec(c c^H): the coefficient vector of the quadratic form c^H Y c = <Y, c c^H>.
Eigen::VectorXd hvec_outer(const Eigen::VectorXcd& c);

}  // namespace isacbf::model_a
