#include "host/model_a/rank_one.hpp"

#include <algorithm>
#include <cmath>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

RankOne rank_one(const Design& design) {
  RankOne out;
  for (std::size_t k = 0; k < design.Q.size(); ++k) {
    const Eigen::MatrixXcd& Q = design.Q[k];
    if (Q.rows() != Q.cols() || Q.rows() == 0) throw InputError("Q[" + std::to_string(k) + "]", "must be square and nonempty");
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> eig(0.5 * (Q + Q.adjoint()));
    const auto n = Q.rows();
    const double lmax = std::max(0.0, eig.eigenvalues()[n - 1]);
    const double tr = Q.trace().real();
    out.ratio.push_back(tr > 0.0 ? lmax / tr : 1.0);
    out.w.push_back(std::sqrt(lmax) * eig.eigenvectors().col(n - 1));
  }
  return out;
}

}  // namespace isacbf::model_a
