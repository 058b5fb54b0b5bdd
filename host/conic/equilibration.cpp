#include "host/conic/equilibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace isacbf::conic {

namespace {
constexpr double kMinScale = 1e-4;
constexpr double kMaxScale = 1e4;

// Calls f(row, i, j) for every packed entry of a PSD block (svec / hvec layout, problem.hpp); the re and
// the im row of a complex off-diagonal both get (i, j).
template <class F>
void for_each_packed_entry(const ConeBlock& b, F&& f) {
  const bool cplx = b.kind == BlockKind::psd_complex;
  int row = b.offset;
  for (int j = 0; j < b.order; ++j) {
    f(row++, j, j);
    for (int i = j + 1; i < b.order; ++i) {
      f(row++, i, j);
      if (cplx) f(row++, i, j);
    }
  }
}

// mx_i = max over the rows (i, j) touching index i of the block of their norm rn_(ij).
Eigen::VectorXd index_maxima(const ConeBlock& b, const Eigen::VectorXd& rn) {
  Eigen::VectorXd mx = Eigen::VectorXd::Zero(b.order);
  for_each_packed_entry(b, [&](int row, int i, int j) {
    mx[i] = std::max(mx[i], rn[row]);
    mx[j] = std::max(mx[j], rn[row]);
  });
  return mx;
}

// max_i mx_i / min_i mx_i over the indices with mx_i > 0 (1 when none).
double index_spread(const ConeBlock& b, const Eigen::VectorXd& rn) {
  const Eigen::VectorXd mx = index_maxima(b, rn);
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (int i = 0; i < b.order; ++i)
    if (mx[i] > 0.0) lo = std::min(lo, mx[i]), hi = std::max(hi, mx[i]);
  return hi > 0.0 ? hi / lo : 1.0;
}

bool is_psd(const ConeBlock& b) { return b.kind == BlockKind::psd_real || b.kind == BlockKind::psd_complex; }

// One congruence pass on a PSD block: D_(ij) = t_i t_j (X -> T X T keeps the cone), t_i = sqrt(D_(ii)).
// t_i <- t_i (max_j rn_(ij))^(-1/4), so D_(ij) moves by the geometric mean of the Ruiz factors of
// indices i and j (the diagonal row exactly as in Ruiz). t is clipped to [1e-2, 1e2], which keeps every
// D_(ij) in [1e-4, 1e4] without breaking the rank-one structure.
void congruence_pass(const ConeBlock& b, const Eigen::VectorXd& rn, Eigen::VectorXd& D) {
  const Eigen::VectorXd mx = index_maxima(b, rn);
  Eigen::VectorXd t(b.order);
  for_each_packed_entry(b, [&](int row, int i, int j) {
    if (i == j) t[i] = std::sqrt(D[row]);
  });
  for (int i = 0; i < b.order; ++i)
    if (mx[i] > 0.0) t[i] = std::clamp(t[i] / std::pow(mx[i], 0.25), std::sqrt(kMinScale), std::sqrt(kMaxScale));
  for_each_packed_entry(b, [&](int row, int i, int j) { D[row] = t[i] * t[j]; });
}
}  // namespace

Equilibration ruiz_equilibrate(const Eigen::SparseMatrix<double>& A, const std::vector<ConeBlock>& blocks,
                               int passes, bool l2_pass, PsdScaling psd) {
  const Eigen::Index m = A.rows(), n = A.cols();
  Equilibration eq;
  eq.D = Eigen::VectorXd::Ones(m);
  eq.E = Eigen::VectorXd::Ones(n);
  Eigen::VectorXd rn(m), cn(n);
  std::vector<bool> congruent(blocks.size(), psd == PsdScaling::congruence);  // decided at pass 0 for auto
  for (int pass = 0; pass < passes; ++pass) {
    rn.setZero();
    cn.setZero();
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::SparseMatrix<double>::InnerIterator it(A, j); it; ++it) {
        const double v = std::fabs(it.value() * eq.D[it.row()] * eq.E[j]);
        rn[it.row()] = std::max(rn[it.row()], v);
        cn[j] = std::max(cn[j], v);
      }
    // one factor per cone block that is not row-separable, or a congruence on PSD blocks
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const ConeBlock& b = blocks[k];
      if (b.kind == BlockKind::zero || b.kind == BlockKind::nonneg) continue;
      if (pass == 0 && psd == PsdScaling::automatic && is_psd(b)) congruent[k] = index_spread(b, rn) > kCongruenceSpread;
      if (congruent[k] && is_psd(b)) {
        congruence_pass(b, rn, eq.D);
        rn.segment(b.offset, b.size).setZero();  // rows already scaled: the loop below leaves them
        continue;
      }
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
