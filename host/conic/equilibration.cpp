#include "host/conic/equilibration.hpp"

#include <algorithm>
#include <cmath>

namespace isacbf::conic {

namespace {
constexpr double kMinScale = 1e-4;
constexpr double kMaxScale = 1e4;
}  // namespace

Equilibration ruiz_equilibrate(const Eigen::SparseMatrix<double>& A, const std::vector<ConeBlock>& blocks,
                               int passes, bool l2_pass) {
  const Eigen::Index m = A.rows(), n = A.cols();
  Equilibration eq;
  eq.D = Eigen::VectorXd::Ones(m);
  eq.E = Eigen::VectorXd::Ones(n);
  Eigen::VectorXd rn(m), cn(n);
  for (int pass = 0; pass < passes; ++pass) {
    rn.setZero();
    cn.setZero();
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::SparseMatrix<double>::InnerIterator it(A, j); it; ++it) {
        const double v = std::fabs(it.value() * eq.D[it.row()] * eq.E[j]);
        rn[it.row()] = std::max(rn[it.row()], v);
        cn[j] = std::max(cn[j], v);
      }
    // one factor per cone block that is not row-separable
    for (const auto& b : blocks) {
      if (b.kind == BlockKind::zero || b.kind == BlockKind::nonneg) continue;
      const double mx = rn.segment(b.offset, b.size).maxCoeff();
      rn.segment(b.offset, b.size).setConstant(mx);
    }
    for (Eigen::Index i = 0; i < m; ++i)
      if (rn[i] > 0.0) eq.D[i] = std::clamp(eq.D[i] / std::sqrt(rn[i]), kMinScale, kMaxScale);
    for (Eigen::Index j = 0; j < n; ++j)
      if (cn[j] > 0.0) eq.E[j] = std::clamp(eq.E[j] / std::sqrt(cn[j]), kMinScale, kMaxScale);
  }
  if (l2_pass && passes > 0) {
    // SCS 3.2 ends its Ruiz passes with one pass on 2-norms (block rows share their mean): Ruiz
    // equalises the largest entries, this evens out rows/columns with many mid-sized ones
    rn.setZero();
    cn.setZero();
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::SparseMatrix<double>::InnerIterator it(A, j); it; ++it) {
        const double v = it.value() * eq.D[it.row()] * eq.E[j];
        rn[it.row()] += v * v;
        cn[j] += v * v;
      }
    rn = rn.cwiseSqrt();
    for (const auto& b : blocks) {
      if (b.kind == BlockKind::zero || b.kind == BlockKind::nonneg) continue;
      rn.segment(b.offset, b.size).setConstant(rn.segment(b.offset, b.size).mean());
    }
    for (Eigen::Index i = 0; i < m; ++i)
      if (rn[i] > 0.0) eq.D[i] = std::clamp(eq.D[i] / std::sqrt(rn[i]), kMinScale, kMaxScale);
    for (Eigen::Index j = 0; j < n; ++j)
      if (cn[j] > 0.0) eq.E[j] = std::clamp(eq.E[j] / std::sqrt(std::sqrt(cn[j])), kMinScale, kMaxScale);
  }
  return eq;
}

void apply_equilibration(Equilibration& eq, const Eigen::SparseMatrix<double>& A, const Eigen::VectorXd& b,
                         const Eigen::VectorXd& c, Eigen::SparseMatrix<double>& A_hat, Eigen::VectorXd& b_hat,
                         Eigen::VectorXd& c_hat, bool normalize_bc) {
  A_hat = eq.D.asDiagonal() * A * eq.E.asDiagonal();
  b_hat = eq.D.cwiseProduct(b);
  c_hat = eq.E.cwiseProduct(c);
  // b and c to unit-ish size (the embedding's tau balances them); clipped like D and E
  const double nb = b_hat.size() ? b_hat.lpNorm<Eigen::Infinity>() : 0.0;
  const double nc = c_hat.size() ? c_hat.lpNorm<Eigen::Infinity>() : 0.0;
  eq.sigma_b = normalize_bc && nb > 0.0 ? std::clamp(1.0 / nb, kMinScale, kMaxScale) : 1.0;
  eq.sigma_c = normalize_bc && nc > 0.0 ? std::clamp(1.0 / nc, kMinScale, kMaxScale) : 1.0;
  b_hat *= eq.sigma_b;
  c_hat *= eq.sigma_c;
}

}  // namespace isacbf::conic
