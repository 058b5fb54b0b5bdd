#include "host/model_a/p4_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

namespace {

using Triplets = std::vector<Eigen::Triplet<double>>;

// Rows are written as  s_row = b_row - A_row x ; a "linear form" row collects A_row as triplets.
struct RowWriter {
  Triplets a;
  std::vector<double> b;
  int add_row(double rhs) {
    b.push_back(rhs);
    return static_cast<int>(b.size()) - 1;
  }
  // Adds factor * coeff . Y_j to the quantity s_row (so A gets -factor * coeff); zeros kept on purpose.
  void add_block(int row, const P4Layout& L, int j, const Eigen::VectorXd& coeff, double factor) {
    for (int p = 0; p < L.block_size(); ++p) a.emplace_back(row, L.block(j) + p, -factor * coeff[p]);
  }
  void add_var(int row, int col, double factor) { a.emplace_back(row, col, -factor); }
};

void check_expansion(const ScaledModel& m, const Expansion& at) {
  const auto K = static_cast<std::size_t>(m.K);
  if (at.eps.size() != K || at.tau_ref.size() != K || at.v_ref.size() != K)
    throw InputError("expansion", "needs K values of eps, tau_ref and v_ref");
  auto finite = [](const std::vector<double>& v) { return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }); };
  if (!finite(at.eps) || !finite(at.tau_ref) || !finite(at.v_ref) || !std::isfinite(at.u))
    throw InputError("expansion", "values must be finite");
}

// (27), (28), (29) in scaled form, appended as non-negative rows.
void add_security_sensing_power(const ScaledModel& m, const P4Layout& L, RowWriter& w) {
  const int qS = m.optimise_S ? m.K : -1;
  if (m.sensing_security) {
    for (int k = 0; k < m.K; ++k) {
      // 1 - alpha_k (q_S + q_k - gamma_se sum_{i!=k} q_i + fixed) >= 0
      const double alpha = m.security_scale[static_cast<std::size_t>(k)];
      const int r = w.add_row(1.0 - alpha * m.fixed_target_form);
      for (int i = 0; i < m.K; ++i) w.add_block(r, L, i, m.target_form[static_cast<std::size_t>(i)], i == k ? -alpha : alpha * m.gamma_se);
      if (qS >= 0) w.add_block(r, L, qS, m.target_form.back(), -alpha);
    }
  }
  {  // beta (q_S + fixed - gamma_s sum_i q_i) - 1 >= 0, beta = ||h_ce||^2 P / (gamma_s sigma_b^2)
    const double beta = m.sensing_scale;
    const int r = w.add_row(beta * m.fixed_target_form - 1.0);
    for (int i = 0; i < m.K; ++i) w.add_block(r, L, i, m.target_form[static_cast<std::size_t>(i)], -beta * m.gamma_s);
    if (qS >= 0) w.add_block(r, L, qS, m.target_form.back(), beta);
  }
  {  // 1 - fixed_power - Tr(sum Y) >= 0
    const int r = w.add_row(1.0 - m.fixed_power);
    for (int j = 0; j < L.blocks; ++j) w.add_block(r, L, j, m.trace[static_cast<std::size_t>(j)], -1.0);
  }
}

// Each non-negative row divided by its largest |coefficient| (b included): O(1) rows, same cone.
void normalise_rows(RowWriter& w, int first, int count) {
  std::vector<double> scale(w.b.size(), 0.0);
  for (int r = first; r < first + count; ++r) scale[static_cast<std::size_t>(r)] = std::abs(w.b[static_cast<std::size_t>(r)]);
  for (const auto& t : w.a)
    if (t.row() >= first && t.row() < first + count)
      scale[static_cast<std::size_t>(t.row())] = std::max(scale[static_cast<std::size_t>(t.row())], std::abs(t.value()));
  for (int r = first; r < first + count; ++r) {
    double& s = scale[static_cast<std::size_t>(r)];
    s = s > 0.0 ? 1.0 / s : 1.0;
    w.b[static_cast<std::size_t>(r)] *= s;
  }
  for (auto& t : w.a)
    if (t.row() >= first && t.row() < first + count)
      t = Eigen::Triplet<double>(t.row(), t.col(), t.value() * scale[static_cast<std::size_t>(t.row())]);
}

void add_psd_blocks(const P4Layout& L, RowWriter& w) {
  for (int j = 0; j < L.blocks; ++j)
    for (int p = 0; p < L.block_size(); ++p) w.add_var(w.add_row(0.0), L.block(j) + p, 1.0);
}

conic::ConicProblem finish(RowWriter& w, conic::ConeSpec cones, Eigen::VectorXd c) {
  conic::ConicProblem prob;
  prob.cones = std::move(cones);
  const auto m = static_cast<Eigen::Index>(w.b.size());
  prob.A.resize(m, c.size());
  prob.A.setFromTriplets(w.a.begin(), w.a.end());
  prob.b = Eigen::Map<const Eigen::VectorXd>(w.b.data(), m);
  prob.c = std::move(c);
  conic::validate(prob);
  return prob;
}

}  // namespace

Expansion tight_expansion(const ScaledModel& m, const Blocks& y) {
  if (static_cast<int>(y.size()) != m.blocks()) throw InputError("blocks", "wrong number of covariance blocks");
  Expansion at;
  for (int k = 0; k < m.K; ++k) {
    at.eps.push_back(std::log1p(std::max(0.0, m.user_interference(y, k))));
    at.tau_ref.push_back(std::log1p(std::max(0.0, m.user_total(y, k))));
    at.v_ref.push_back(std::log1p(std::max(0.0, m.target_without(y, k))));
  }
  at.u = std::log1p(std::max(0.0, m.target_total(y)));
  return at;
}

P4Layout p4_layout(const ScaledModel& m) {
  P4Layout L;
  L.K = m.K;
  L.d = m.d;
  L.blocks = m.blocks();
  return L;
}

conic::ConicProblem build_feasibility(const ScaledModel& m) {
  const P4Layout L = p4_layout(m);
  const int nblk = L.blocks * L.block_size();
  RowWriter w;
  add_security_sensing_power(m, L, w);
  const int nonneg = static_cast<int>(w.b.size());
  normalise_rows(w, 0, nonneg);
  add_psd_blocks(L, w);
  for (int k = 0; k < m.K; ++k) {
    // (r_k, 1, 1/a_k + (user_snr_k / a_k) . Y_k): r_k <= ln(1 + m1 h_k Q_k h_k^H) - ln a_k, a_k its
    // largest coefficient, so the cone data stays O(1) whatever the SNR.
    const auto kk = static_cast<std::size_t>(k);
    const double a = std::max(m.user_snr[kk][kk].cwiseAbs().maxCoeff(), 1e-300);
    w.add_var(w.add_row(0.0), nblk + k, 1.0);
    w.add_row(1.0);
    const int r = w.add_row(1.0 / a + m.fixed_user_snr[kk] / a);
    w.add_block(r, L, k, m.user_snr[kk][kk], 1.0 / a);
  }
  conic::ConeSpec cones;
  cones.nonneg = nonneg;
  cones.psd_complex.assign(static_cast<std::size_t>(L.blocks), L.d);
  cones.exp_primal = m.K;
  Eigen::VectorXd c = Eigen::VectorXd::Zero(nblk + m.K);
  c.tail(m.K).setConstant(-1.0);
  return finish(w, cones, std::move(c));
}

conic::ConicProblem build_p4(const ScaledModel& m, const Expansion& at) {
  check_expansion(m, at);
  const P4Layout L = p4_layout(m);
  const int S = m.optimise_S ? m.K : -1;
  RowWriter w;
  for (int k = 0; k < m.K; ++k) {
    // (42)/e^{eps_ref}:  1 + e_k - e^{-eps_ref}(1 + m1 h_k (S + sum_{i!=k} Q_i) h_k^H) >= 0
    const double s = std::exp(-at.eps[static_cast<std::size_t>(k)]);
    const auto kk = static_cast<std::size_t>(k);
    const int r = w.add_row(1.0 - s * (1.0 + m.fixed_user_snr[kk]));
    w.add_var(r, L.e(k), 1.0);
    for (int j = 0; j < L.blocks; ++j)
      if (j != k) w.add_block(r, L, j, m.user_snr[kk][static_cast<std::size_t>(j)], -s);
  }
  {  // (43)/e^{u_ref}:  1 + w - e^{-u_ref}(1 + m2 h_ce^H (S + sum Q) h_ce) >= 0
    const double s = std::exp(-at.u);
    const int r = w.add_row(1.0 - s * (1.0 + m.fixed_target_snr));
    w.add_var(r, L.w(), 1.0);
    for (int j = 0; j < L.blocks; ++j) w.add_block(r, L, j, m.target_snr[static_cast<std::size_t>(j)], -s);
  }
  add_security_sensing_power(m, L, w);
  const int nonneg = static_cast<int>(w.b.size());
  normalise_rows(w, 0, nonneg);
  add_psd_blocks(L, w);
  for (int k = 0; k < m.K; ++k) {  // (36): (t_k, 1, e^{-tau_ref}(1 + m1 h_k (S + sum Q) h_k^H))
    const auto kk = static_cast<std::size_t>(k);
    const double s = std::exp(-at.tau_ref[kk]);
    w.add_var(w.add_row(0.0), L.t(k), 1.0);
    w.add_row(1.0);
    const int r = w.add_row(s * (1.0 + m.fixed_user_snr[kk]));
    for (int j = 0; j < L.blocks; ++j) w.add_block(r, L, j, m.user_snr[kk][static_cast<std::size_t>(j)], s);
  }
  for (int k = 0; k < m.K; ++k) {  // (39): (v_k, 1, e^{-v_ref}(1 + m2 h_ce^H (S + sum_{i!=k} Q_i) h_ce))
    const double s = std::exp(-at.v_ref[static_cast<std::size_t>(k)]);
    w.add_var(w.add_row(0.0), L.v(k), 1.0);
    w.add_row(1.0);
    const int r = w.add_row(s * (1.0 + m.fixed_target_snr));
    for (int j = 0; j < L.blocks; ++j)
      if (j != k) w.add_block(r, L, j, m.target_snr[static_cast<std::size_t>(j)], s);
  }
  (void)S;
  conic::ConeSpec cones;
  cones.nonneg = nonneg;
  cones.psd_complex.assign(static_cast<std::size_t>(L.blocks), L.d);
  cones.exp_primal = 2 * m.K;
  // maximise sum_k (t_k - e_k - w + v_k)  ->  minimise the negative
  Eigen::VectorXd c = Eigen::VectorXd::Zero(L.variables());
  for (int k = 0; k < m.K; ++k) {
    c[L.t(k)] = -1.0;
    c[L.e(k)] = 1.0;
    c[L.v(k)] = -1.0;
  }
  c[L.w()] = m.K;
  return finish(w, cones, std::move(c));
}

Blocks blocks_of(const ScaledModel& m, const Eigen::VectorXd& x) {
  const P4Layout L = p4_layout(m);
  if (x.size() < L.blocks * L.block_size()) throw InputError("x", "solution vector too short for the blocks");
  Blocks y;
  for (int j = 0; j < L.blocks; ++j) y.push_back(x.segment(L.block(j), L.block_size()));
  return y;
}

double p4_objective(const ScaledModel& m, const Expansion& at, const Eigen::VectorXd& x) {
  const P4Layout L = p4_layout(m);
  if (x.size() != L.variables()) throw InputError("x", "not a P4 solution vector");
  double f = 0.0;
  for (int k = 0; k < m.K; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    f += (at.tau_ref[kk] + x[L.t(k)]) - (at.eps[kk] + x[L.e(k)]) - (at.u + x[L.w()]) + (at.v_ref[kk] + x[L.v(k)]);
  }
  return f;
}

Expansion paper_expansion(const ScaledModel& m, const Expansion& at, const Eigen::VectorXd& x, const Blocks& y) {
  const P4Layout L = p4_layout(m);
  if (x.size() != L.variables()) throw InputError("x", "not a P4 solution vector");
  Expansion next = tight_expansion(m, y);  // references centred at the new iterate
  // (42)/(43) make eps_k >= ln(1 + interference) and u >= ln(1 + ...) at any feasible point; an
  // inexact solve can land slightly below, so the expansion is kept on the feasible side.
  for (int k = 0; k < m.K; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    next.eps[kk] = std::max(next.eps[kk], at.eps[kk] + x[L.e(k)]);
  }
  next.u = std::max(next.u, at.u + x[L.w()]);
  return next;
}

Eigen::VectorXd p4_point(const ScaledModel& m, const Expansion& at, const Blocks& y, const std::vector<double>& tau,
                         const std::vector<double>& eps, const std::vector<double>& v, double u) {
  const P4Layout L = p4_layout(m);
  const auto K = static_cast<std::size_t>(m.K);
  if (static_cast<int>(y.size()) != L.blocks || tau.size() != K || eps.size() != K || v.size() != K)
    throw InputError("point", "wrong number of blocks or per-user values");
  Eigen::VectorXd x(L.variables());
  for (int j = 0; j < L.blocks; ++j) x.segment(L.block(j), L.block_size()) = y[static_cast<std::size_t>(j)];
  for (int k = 0; k < m.K; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    x[L.t(k)] = tau[kk] - at.tau_ref[kk];
    x[L.e(k)] = eps[kk] - at.eps[kk];
    x[L.v(k)] = v[kk] - at.v_ref[kk];
  }
  x[L.w()] = u - at.u;
  return x;
}

}  // namespace isacbf::model_a
