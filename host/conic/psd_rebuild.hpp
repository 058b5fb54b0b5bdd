#pragma once
// P_PSD(X) from some of X's eigenpairs, shared by the Eigen and LAPACK paths of ConeProjector:
//   from the positive pairs  X+ = sum_{l>0} l v v^H,  or from the negative ones  X+ = X - sum_{l<0} l v v^H.
// Written as one rank-k update of the lower triangle (half a GEMM; svec/hvec pack reads only the lower
// triangle), k = number of pairs used.
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <cmath>

namespace isacbf::conic {

// a: n x n column-major; for from_positive its lower triangle is overwritten, otherwise it must hold X
// (lower triangle). v: n x k eigenvectors (column-major), w: their k eigenvalues, all of the sign used
// (zeros allowed). u: n x k scratch.
template <class Scalar>
void psd_rebuild_lower(int n, int k, const double* w, const Scalar* v, bool from_positive, Scalar* a, Scalar* u) {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  Eigen::Map<Mat> A(a, n, n);
  if (from_positive) A.template triangularView<Eigen::Lower>().setZero();
  if (k == 0) return;
  Eigen::Map<const Mat> V(v, n, k);
  Eigen::Map<Mat> U(u, n, k);
  for (int j = 0; j < k; ++j) U.col(j) = V.col(j) * std::sqrt(std::abs(w[j]));  // U U^H = sum |l| v v^H
  A.template selfadjointView<Eigen::Lower>().rankUpdate(U, 1.0);  // X - sum_{l<0} l v v^H adds |l| v v^H
}

// Full spectrum (w ascending, v all n eigenvectors): rebuild from the smaller of the two sets.
template <class Scalar>
void psd_rebuild_from_full(int n, const double* w, const Scalar* v, Scalar* a, Scalar* u) {
  int npos = 0;
  for (int k = 0; k < n; ++k) npos += w[k] > 0.0;
  if (2 * npos <= n) psd_rebuild_lower(n, npos, w + (n - npos), v + static_cast<std::ptrdiff_t>(n) * (n - npos), true, a, u);
  else psd_rebuild_lower(n, n - npos, w, v, false, a, u);
}

// P_PSD of the n x n matrix a (column-major, full or lower triangle) with Eigen's full eigensolver; the
// projection comes back in a's lower triangle. u: n x n scratch.
template <class Scalar>
void psd_project_eigen(int n, Scalar* a, Scalar* u) {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::SelfAdjointEigenSolver<Mat> es(Eigen::Map<const Mat>(a, n, n));
  psd_rebuild_from_full(n, es.eigenvalues().data(), es.eigenvectors().data(), a, u);
}

}  // namespace isacbf::conic
