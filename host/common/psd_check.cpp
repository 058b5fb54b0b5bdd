#include "host/common/psd_check.hpp"

#include <cmath>
#include <sstream>

#include "host/common/errors.hpp"

namespace isacbf {

void check_hermitian_psd(const Eigen::MatrixXcd& X, long n, const std::string& field, double tol) {
  if (X.rows() != n || X.cols() != n) {
    std::ostringstream msg;
    msg << "expected " << n << "x" << n << ", got " << X.rows() << "x" << X.cols();
    throw InputError(field, msg.str());
  }
  if (!X.allFinite()) throw InputError(field, "entries must be finite");
  const double scale = X.norm();
  if (!std::isfinite(scale)) throw InputError(field, "Frobenius norm overflows a double (entries too large)");
  if (scale == 0.0) return;
  const double asym = (X - X.adjoint()).norm();
  if (asym > tol * scale) {
    std::ostringstream msg;
    msg << "not Hermitian: ||X - X^H||_F / ||X||_F = " << asym / scale << " > " << tol;
    throw InputError(field, msg.str());
  }
  const double lambda_min = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(hermitian_part(X), Eigen::EigenvaluesOnly).eigenvalues()(0);
  if (lambda_min < -tol * scale) {
    std::ostringstream msg;
    msg << "not positive semidefinite: smallest eigenvalue " << lambda_min << " (||X||_F = " << scale << ")";
    throw InputError(field, msg.str());
  }
}

}  // namespace isacbf
