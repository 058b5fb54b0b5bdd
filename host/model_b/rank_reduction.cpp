#include "host/model_b/rank_reduction.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/model_b/cone_rows.hpp"

namespace isacbf::model_b {
namespace {

// Eigenpairs with eigenvalue above tolerance * lambda_max, as V = U Lambda^{1/2}.
Eigen::MatrixXcd factor(const Eigen::MatrixXcd& R, double tolerance) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(0.5 * (R + R.adjoint()));
  const Eigen::VectorXd& lambda = es.eigenvalues();
  const double top = lambda.size() ? lambda.maxCoeff() : 0.0;
  std::vector<int> keep;
  for (int i = static_cast<int>(lambda.size()) - 1; i >= 0; --i)
    if (top > 0 && lambda(i) > tolerance * top) keep.push_back(i);
  Eigen::MatrixXcd V(R.rows(), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t c = 0; c < keep.size(); ++c)
    V.col(static_cast<Eigen::Index>(c)) = es.eigenvectors().col(keep[c]) * std::sqrt(lambda(keep[c]));
  return V;
}

void check_square(const Eigen::MatrixXcd& R) {
  if (R.rows() != R.cols()) throw InputError("R_s", "must be square");
  if (!R.allFinite()) throw InputError("R_s", "not finite");
}

}  // namespace

int numerical_rank(const Eigen::MatrixXcd& R, double tolerance) {
  check_square(R);
  return static_cast<int>(factor(R, tolerance).cols());
}

Eigen::MatrixXcd beams_from_covariance(const Eigen::MatrixXcd& R, double tolerance) {
  check_square(R);
  return factor(R, tolerance);
}

Eigen::MatrixXcd purify(const Eigen::MatrixXcd& R, const std::vector<Eigen::VectorXcd>& functionals, double tolerance) {
  check_square(R);
  for (std::size_t i = 0; i < functionals.size(); ++i)
    if (functionals[i].size() != R.rows()) throw InputError("functionals[" + std::to_string(i) + "]", "length must equal the order of R_s");
  Eigen::MatrixXcd V = factor(R, tolerance);
  while (V.cols() > 1) {
    const int r = static_cast<int>(V.cols());
    // Rows: hvec(V^H v v^H V) and hvec(V^H V); Delta in their null space keeps every functional.
    Eigen::MatrixXd M(static_cast<Eigen::Index>(functionals.size()) + 1, r * r);
    for (std::size_t i = 0; i < functionals.size(); ++i) {
      const Eigen::VectorXcd w = V.adjoint() * functionals[i];
      M.row(static_cast<Eigen::Index>(i)) = hvec(w * w.adjoint()).transpose();
    }
    M.row(M.rows() - 1) = hvec(V.adjoint() * V).transpose();
    for (Eigen::Index i = 0; i < M.rows(); ++i) {  // scale rows so the rank test is scale free
      const double n = M.row(i).norm();
      if (n > 0) M.row(i) /= n;
    }
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(M, Eigen::ComputeFullV);
    const auto& sv = svd.singularValues();
    int rank = 0;
    while (rank < sv.size() && sv(rank) > 1e-9 * std::max(1.0, sv(0))) ++rank;
    if (rank >= r * r) break;  // no direction keeps every functional
    const Eigen::MatrixXcd Delta = unhvec(svd.matrixV().col(r * r - 1), r);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(Delta);
    const Eigen::VectorXd& mu = es.eigenvalues();
    const double delta = std::abs(mu(0)) > std::abs(mu(r - 1)) ? mu(0) : mu(r - 1);
    const Eigen::MatrixXcd T = Eigen::MatrixXcd::Identity(r, r) - Delta / delta;  // PSD, one zero eigenvalue
    const Eigen::MatrixXcd R_new = V * T * V.adjoint();
    V = factor(R_new, tolerance);
    if (V.cols() >= r) break;  // numerical safety: no progress
  }
  return V * V.adjoint();
}

std::vector<Eigen::VectorXcd> sensing_functionals(const Instance& inst) {
  std::vector<Eigen::VectorXcd> out(inst.h.begin(), inst.h.end());
  for (int j = 0; j < inst.J; ++j) {
    out.push_back(inst.g_est[static_cast<std::size_t>(j)]);
    out.push_back(steering_vector_deg(inst.Nt, inst.theta_ae_est_deg[static_cast<std::size_t>(j)]));
  }
  for (const auto& c : inst.clutter) out.push_back(steering_vector_deg(inst.Nt, c.theta_deg));
  return out;
}

SensingBeamBounds sensing_beam_bounds(int K, int J, int C) {
  if (K < 1) throw InputError("K", "must be >= 1");
  if (J < 0) throw InputError("J", "must be >= 0");
  if (C < 0) throw InputError("C", "must be >= 0");
  auto fl = [](int m) { return static_cast<int>(std::floor(std::sqrt(static_cast<double>(m)) + 1e-12)); };
  SensingBeamBounds b;
  b.worst_case = fl(2 * J + 1);
  b.dependent = fl(std::min(2 * J, J + C) + 1);
  b.per_user = fl(std::min(2 * J, J + C) + K + 1);
  b.rf_chains_needed = 2 * (K + b.worst_case);
  return b;
}

}  // namespace isacbf::model_b
