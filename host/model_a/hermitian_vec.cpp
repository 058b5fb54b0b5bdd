#include "host/model_a/hermitian_vec.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

Eigen::VectorXd hvec(const Eigen::MatrixXcd& X) {
  if (X.rows() != X.cols()) throw InputError("X", "hvec needs a square matrix");
  const auto n = X.rows();
  const double r2 = std::sqrt(2.0);
  Eigen::VectorXd v(n * n);
  Eigen::Index p = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    v[p++] = X(j, j).real();
    for (Eigen::Index i = j + 1; i < n; ++i) {
      v[p++] = r2 * X(i, j).real();
      v[p++] = r2 * X(i, j).imag();
    }
  }
  return v;
}

Eigen::MatrixXcd hmat(const Eigen::VectorXd& v, int n) {
  if (n < 1 || v.size() != static_cast<Eigen::Index>(n) * n)
    throw InputError("v", "hmat needs n*n entries (n=" + std::to_string(n) + ", got " + std::to_string(v.size()) + ")");
  const double r2 = std::sqrt(2.0);
  Eigen::MatrixXcd X(n, n);
  Eigen::Index p = 0;
  for (int j = 0; j < n; ++j) {
    X(j, j) = v[p++];
    for (int i = j + 1; i < n; ++i) {
      const std::complex<double> z(v[p] / r2, v[p + 1] / r2);
      p += 2;
      X(i, j) = z;
      X(j, i) = std::conj(z);
    }
  }
  return X;
}

Eigen::VectorXd hvec_outer(const Eigen::VectorXcd& c) { return hvec(c * c.adjoint()); }

}  // namespace isacbf::model_a
