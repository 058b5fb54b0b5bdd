// Kernel tests: cone projections (idempotence, Moreau decomposition, membership), Jacobi
// eigensolvers and PSD projections against Eigen, svec/hvec packing.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "kernels/admm_step.hpp"
#include "kernels/cones.hpp"
#include "kernels/psd.hpp"

using namespace isacbf::kernels;

namespace {

std::mt19937_64& rng() {
  static std::mt19937_64 g(12345);
  return g;
}
double randn() {
  static std::normal_distribution<double> d(0.0, 1.0);
  return d(rng());
}

// Primal-cone membership by the extreme rays of K*: <p, k> >= 0 for k = (-1, rho - 1, e^{-rho}),
// (0, 1, 0) and (0, 0, 1) (well conditioned, unlike s e^{r/s} <= t for tiny s).
bool in_exp_primal(const double* p, double tol) {
  const double np = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
  if (p[1] < -tol * (1 + np) || p[2] < -tol * (1 + np)) return false;
  for (int k = 0; k <= 1200; ++k) {
    const double rho = -60.0 + 0.1 * k;
    const double e = std::exp(-rho);
    const double nk = std::sqrt(1.0 + (rho - 1) * (rho - 1) + e * e);
    if ((-p[0] + p[1] * (rho - 1) + p[2] * e) / nk < -tol * (1 + np)) return false;
  }
  return true;
}

// Dual-cone membership by supporting rays (well conditioned near the edge u -> 0, where the
// closed-form test -u e^{v/u} <= e w amplifies rounding by e^{v/u}): <d, k> >= 0 for the extreme
// rays k = (rho, 1, e^rho) of K, and for (-1, 0, 0), (0, 0, 1).
bool in_exp_dual(const double* d, double tol) {
  const double nd = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  if (-d[0] < -tol * (1 + nd) || d[2] < -tol * (1 + nd)) return false;
  for (int k = 0; k <= 1200; ++k) {
    const double rho = -60.0 + 0.1 * k;
    const double e = std::exp(rho);
    const double nk = std::sqrt(rho * rho + 1.0 + e * e);
    if ((d[0] * rho + d[1] + d[2] * e) / nk < -tol * (1 + nd)) return false;
  }
  return true;
}

}  // namespace

TEST(Cones, NonnegAndZero) {
  double v[4] = {1.0, -2.0, 0.0, 3.5};
  project_nonneg(4, v);
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[1], 0.0);
  EXPECT_EQ(v[3], 3.5);
  project_zero(4, v);
  for (double x : v) EXPECT_EQ(x, 0.0);
}

TEST(Cones, SocClosedFormAndMoreau) {
  for (int trial = 0; trial < 200; ++trial) {
    const int q = 1 + trial % 7;
    std::vector<double> v(q), p(q), pm(q);
    for (auto& x : v) x = randn() * 3.0;
    p = v;
    project_soc(q, p.data());
    // membership
    double nx = 0.0;
    for (int i = 1; i < q; ++i) nx += p[i] * p[i];
    EXPECT_LE(std::sqrt(nx), p[0] + 1e-12);
    // idempotence
    auto pp = p;
    project_soc(q, pp.data());
    for (int i = 0; i < q; ++i) EXPECT_NEAR(pp[i], p[i], 1e-12);
    // Moreau (SOC self-dual): v = P_K(v) - P_K(-v), <P_K(v), P_K(-v)> = 0
    for (int i = 0; i < q; ++i) pm[i] = -v[i];
    project_soc(q, pm.data());
    double ip = 0.0;
    for (int i = 0; i < q; ++i) {
      EXPECT_NEAR(p[i] - pm[i], v[i], 1e-11);
      ip += p[i] * pm[i];
    }
    EXPECT_NEAR(ip, 0.0, 1e-10);
  }
}

TEST(Cones, ExpPrimalMoreauDecomposition) {
  // v = P_K(v) - P_{K*}(-v),  P_K(v) ⟂ P_{K*}(-v), both in their cones; scales from 1e-3 to 1e3.
  // Orthogonality is checked to 1e-7 relative: the closed-form boundary point loses digits to
  // cancellation in (rho - 1) r + s when the projection lies near the edge s -> 0.
  int checked = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const double scale = std::pow(10.0, -3 + 6 * (trial % 13) / 12.0);
    double v[3] = {randn() * scale, randn() * scale, randn() * scale};
    double p[3] = {v[0], v[1], v[2]};
    project_exp_primal(p);
    double d[3] = {-v[0], -v[1], -v[2]};
    project_exp_dual(d);
    const double tol = 1e-9 * (1.0 + std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
    ASSERT_TRUE(in_exp_primal(p, tol)) << v[0] << " " << v[1] << " " << v[2];
    ASSERT_TRUE(in_exp_dual(d, tol)) << v[0] << " " << v[1] << " " << v[2];
    for (int i = 0; i < 3; ++i) ASSERT_NEAR(p[i] - d[i], v[i], tol) << v[0] << " " << v[1] << " " << v[2];
    ASSERT_NEAR(p[0] * d[0] + p[1] * d[1] + p[2] * d[2], 0.0, 1e-7 * (1.0 + v[0] * v[0] + v[1] * v[1] + v[2] * v[2])) << v[0] << " " << v[1] << " " << v[2] << " p " << p[0] << " " << p[1] << " " << p[2];
    double pp[3] = {p[0], p[1], p[2]};
    project_exp_primal(pp);
    for (int i = 0; i < 3; ++i) ASSERT_NEAR(pp[i], p[i], tol);
    ++checked;
  }
  EXPECT_EQ(checked, 20000);
}

TEST(Cones, ExpProjectionIsClosestAmongBoundarySamples) {
  // Independent check: no sampled point of K is closer than the projection.
  for (int trial = 0; trial < 300; ++trial) {
    double v[3] = {randn(), randn(), randn()};
    double p[3] = {v[0], v[1], v[2]};
    project_exp_primal(p);
    const double dp = std::hypot(std::hypot(p[0] - v[0], p[1] - v[1]), p[2] - v[2]);
    for (int k = 0; k < 400; ++k) {
      const double rho = -8.0 + 16.0 * k / 399.0;
      for (double s : {0.01, 0.1, 0.3, 1.0, 3.0}) {
        const double c[3] = {s * rho, s, s * std::exp(rho)};
        const double dc = std::hypot(std::hypot(c[0] - v[0], c[1] - v[1]), c[2] - v[2]);
        ASSERT_GE(dc, dp - 1e-10);
      }
    }
  }
}

TEST(Eig, JacobiRealMatchesEigen) {
  for (int n : {1, 2, 3, 5, 8, 16, 32}) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Random(n, n);
    m = (m + m.transpose()).eval();
    std::vector<double> a(m.data(), m.data() + n * n), v(n * n), w(n);
    const int sweeps = jacobi_eig_real(n, a.data(), v.data(), w.data());
    EXPECT_LE(sweeps, 30) << n;
    Eigen::Map<Eigen::MatrixXd> V(v.data(), n, n);
    Eigen::Map<Eigen::VectorXd> W(w.data(), n);
    EXPECT_LT((m * V - V * W.asDiagonal()).norm(), 1e-12 * m.norm() * n);
    EXPECT_LT((V.transpose() * V - Eigen::MatrixXd::Identity(n, n)).norm(), 1e-12 * n);
    Eigen::VectorXd ws = W;
    std::sort(ws.data(), ws.data() + n);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m);
    EXPECT_LT((ws - es.eigenvalues()).norm(), 1e-12 * m.norm() * n);
  }
}

TEST(Eig, JacobiHermitianMatchesEigen) {
  for (int n : {1, 2, 3, 4, 7, 16, 32}) {
    Eigen::MatrixXcd m = Eigen::MatrixXcd::Random(n, n);
    m = (m + m.adjoint()).eval();
    std::vector<double> a(2 * n * n), v(2 * n * n), w(n);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        a[2 * (i + n * j)] = m(i, j).real();
        a[2 * (i + n * j) + 1] = m(i, j).imag();
      }
    const int sweeps = jacobi_eig_herm(n, a.data(), v.data(), w.data());
    EXPECT_LE(sweeps, 30) << n;
    Eigen::MatrixXcd V(n, n);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) V(i, j) = {v[2 * (i + n * j)], v[2 * (i + n * j) + 1]};
    Eigen::Map<Eigen::VectorXd> W(w.data(), n);
    EXPECT_LT((m * V - V * W.cast<std::complex<double>>().asDiagonal()).norm(), 1e-12 * m.norm() * n) << n;
    EXPECT_LT((V.adjoint() * V - Eigen::MatrixXcd::Identity(n, n)).norm(), 1e-12 * n);
    Eigen::VectorXd ws = W;
    std::sort(ws.data(), ws.data() + n);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(m);
    EXPECT_LT((ws - es.eigenvalues()).norm(), 1e-12 * m.norm() * n);
  }
}

TEST(Psd, SvecHvecRoundTripAndInnerProduct) {
  const int n = 5;
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(n, n), Y = Eigen::MatrixXd::Random(n, n);
  X = (X + X.transpose()).eval();
  Y = (Y + Y.transpose()).eval();
  std::vector<double> x(svec_size(n)), y(svec_size(n)), back(n * n);
  svec_pack(n, X.data(), x.data());
  svec_pack(n, Y.data(), y.data());
  EXPECT_NEAR(dot(svec_size(n), x.data(), y.data()), (X.cwiseProduct(Y)).sum(), 1e-12);
  svec_unpack(n, x.data(), back.data());
  EXPECT_LT((Eigen::Map<Eigen::MatrixXd>(back.data(), n, n) - X).norm(), 1e-14);

  Eigen::MatrixXcd H = Eigen::MatrixXcd::Random(n, n), G = Eigen::MatrixXcd::Random(n, n);
  H = (H + H.adjoint()).eval();
  G = (G + G.adjoint()).eval();
  std::vector<double> h(hvec_size(n)), g(hvec_size(n)), hb(2 * n * n);
  hvec_pack(n, reinterpret_cast<const double*>(H.data()), h.data());
  hvec_pack(n, reinterpret_cast<const double*>(G.data()), g.data());
  EXPECT_NEAR(dot(hvec_size(n), h.data(), g.data()), (H.adjoint() * G).trace().real(), 1e-12);
  hvec_unpack(n, h.data(), hb.data());
  Eigen::Map<Eigen::MatrixXcd> HB(reinterpret_cast<std::complex<double>*>(hb.data()), n, n);
  EXPECT_LT((HB - H).norm(), 1e-14);
}

TEST(Psd, RealProjectionMatchesEigenAndMoreau) {
  for (int n : {1, 2, 4, 9, 20}) {
    for (int shift : {-2, 0, 2}) {  // mostly negative, mixed, mostly positive spectra
      Eigen::MatrixXd X = Eigen::MatrixXd::Random(n, n);
      X = (X + X.transpose()).eval() + shift * Eigen::MatrixXd::Identity(n, n);
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(X);
      Eigen::MatrixXd P = es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).asDiagonal() *
                          es.eigenvectors().transpose();
      std::vector<double> x(svec_size(n)), ref(svec_size(n)), scratch(psd_real_scratch(n));
      svec_pack(n, X.data(), x.data());
      svec_pack(n, P.data(), ref.data());
      std::vector<double> xin = x;
      project_psd_real_jacobi(n, x.data(), scratch.data());
      for (int i = 0; i < svec_size(n); ++i) EXPECT_NEAR(x[i], ref[i], 1e-11 * (1 + X.norm()));
      // Moreau: X = P(X) - P(-X), orthogonal
      std::vector<double> xm(svec_size(n));
      for (int i = 0; i < svec_size(n); ++i) xm[i] = -xin[i];
      project_psd_real_jacobi(n, xm.data(), scratch.data());
      for (int i = 0; i < svec_size(n); ++i) EXPECT_NEAR(x[i] - xm[i], xin[i], 1e-11 * (1 + X.norm()));
      EXPECT_NEAR(dot(svec_size(n), x.data(), xm.data()), 0.0, 1e-10 * (1 + X.squaredNorm()));
      // idempotence
      std::vector<double> x2 = x;
      project_psd_real_jacobi(n, x2.data(), scratch.data());
      for (int i = 0; i < svec_size(n); ++i) EXPECT_NEAR(x2[i], x[i], 1e-11 * (1 + X.norm()));
    }
  }
}

TEST(Psd, HermitianProjectionMatchesEigen) {
  for (int n : {1, 2, 3, 8, 16}) {
    for (int shift : {-2, 0, 2}) {
      Eigen::MatrixXcd X = Eigen::MatrixXcd::Random(n, n);
      X = (X + X.adjoint()).eval() + double(shift) * Eigen::MatrixXcd::Identity(n, n);
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(X);
      Eigen::MatrixXcd P = es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).cast<std::complex<double>>().asDiagonal() *
                           es.eigenvectors().adjoint();
      std::vector<double> x(hvec_size(n)), ref(hvec_size(n)), scratch(psd_herm_scratch(n));
      hvec_pack(n, reinterpret_cast<const double*>(X.data()), x.data());
      hvec_pack(n, reinterpret_cast<const double*>(P.data()), ref.data());
      project_psd_herm_jacobi(n, x.data(), scratch.data());
      for (int i = 0; i < hvec_size(n); ++i) EXPECT_NEAR(x[i], ref[i], 1e-11 * (1 + X.norm())) << n << " " << i;
    }
  }
}

TEST(AdmmStep, TauCombineSolvesBorderedSystem) {
  // [M0 h; -h^T r_tau] [z; tau] = [rhs; r_tau w_tau] with M0 = [[2, 1], [-1, 3]]
  Eigen::Matrix2d M0;
  M0 << 2, 1, -1, 3;
  Eigen::Vector2d h(0.5, -1.5), rhs(1.0, 2.0);
  const double r_tau = 1.0, w_tau = 0.7;
  Eigen::Vector2d g = M0.lu().solve(h), p = M0.lu().solve(rhs);
  const double tau = admm_tau_combine(2, h.data(), g.data(), h.dot(g), r_tau, w_tau, p.data());
  Eigen::Matrix3d full;
  full << 2, 1, 0.5, -1, 3, -1.5, -0.5, 1.5, r_tau;
  Eigen::Vector3d sol = full.lu().solve(Eigen::Vector3d(1.0, 2.0, r_tau * w_tau));
  EXPECT_NEAR(tau, sol[2], 1e-14);
  EXPECT_NEAR(p[0], sol[0], 1e-14);
  EXPECT_NEAR(p[1], sol[1], 1e-14);
}

#include "kernels/cone_block.hpp"

TEST(ConeBlock, DispatchMatchesTheDirectKernels) {
  double scratch[64];
  double a[3] = {0.3, -1.0, 0.2}, b[3] = {0.3, -1.0, 0.2};
  project_dual_block(kExpPrimal, 3, 3, a, scratch);
  project_exp_dual(b);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a[i], b[i]);
  double z[2] = {1.0, -2.0};
  project_dual_block(kZero, 2, 2, z, scratch);  // free
  EXPECT_EQ(z[1], -2.0);
  project_primal_block(kZero, 2, 2, z, scratch);  // {0}
  EXPECT_EQ(z[1], 0.0);
  double p[3] = {1.0, 2.0, -3.0};  // svec of [[1, sqrt2], [sqrt2, -3]]: indefinite
  EXPECT_GE(cone_block_scratch(kPsdReal, 2), psd_real_scratch(2));
  project_dual_block(kPsdReal, 3, 2, p, scratch);
  double a2[4];
  svec_unpack(2, p, a2);
  EXPECT_GE(a2[0] * a2[3] - a2[1] * a2[2], -1e-12);  // det >= 0 and
  EXPECT_GE(a2[0] + a2[3], 0.0);                      // trace >= 0: PSD
}
