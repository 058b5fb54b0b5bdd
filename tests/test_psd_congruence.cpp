// Diagonal-congruence equilibration of PSD blocks (Settings::psd_equilibration = "congruence", and "auto"):
// D on a PSD block is t_i t_j, it maps a PSD matrix X to T X T, and the scaled problem keeps its optimum.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>

#include "conic_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/conic/equilibration.hpp"
#include "kernels/psd.hpp"

using namespace isacbf::conic;
using conic_test::solve_one;
using conic_test::sparse;
using conic_test::tight;
using Eigen::MatrixXcd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// Cones: 2 nonneg rows, a real PSD block of order 4 (10 rows), a complex one of order 3 (9 rows).
ConeSpec mixed_cones() {
  ConeSpec k;
  k.nonneg = 2;
  k.psd_real = {4};
  k.psd_complex = {3};
  return k;
}

// Random A whose rows span about eight orders of magnitude, so every scaling has work to do.
Eigen::SparseMatrix<double> badly_scaled_rows(int m, int n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0), ex(-4.0, 4.0);
  MatrixXd A(m, n);
  for (int i = 0; i < m; ++i) {
    const double s = std::pow(10.0, ex(gen));
    for (int j = 0; j < n; ++j) A(i, j) = s * u(gen);
  }
  return sparse(A);
}

// D of a packed PSD block as the full matrix the unpack kernels give (off-diagonals carry 1/sqrt(2)).
MatrixXd unpack_real(int n, const double* d) {
  MatrixXd M(n, n);
  isacbf::kernels::svec_unpack(n, d, M.data());
  return M;
}
MatrixXcd unpack_complex(int n, const double* d) {
  MatrixXcd M(n, n);
  isacbf::kernels::hvec_unpack(n, d, reinterpret_cast<double*>(M.data()));
  return M;
}

// min t  s.t.  t B - M >= 0, B = diag(b) > 0  ->  lambda_max(B^{-1/2} M B^{-1/2}) (closed form).
ConicProblem generalized_lambda_max_real(const VectorXd& b, const MatrixXd& M) {
  const int n = static_cast<int>(b.size()), m = n * (n + 1) / 2;
  ConicProblem p;
  p.cones.psd_real = {n};
  MatrixXd B = b.asDiagonal();
  VectorXd svB(m), svM(m);
  isacbf::kernels::svec_pack(n, B.data(), svB.data());
  isacbf::kernels::svec_pack(n, M.data(), svM.data());
  p.A = sparse(-svB);
  p.b = -svM;
  p.c = VectorXd::Ones(1);
  return p;
}
ConicProblem generalized_lambda_max_complex(const VectorXd& b, const MatrixXcd& M) {
  const int n = static_cast<int>(b.size()), m = n * n;
  ConicProblem p;
  p.cones.psd_complex = {n};
  MatrixXcd B = b.cast<std::complex<double>>().asDiagonal();
  VectorXd hvB(m), hvM(m);
  isacbf::kernels::hvec_pack(n, reinterpret_cast<const double*>(B.data()), hvB.data());
  isacbf::kernels::hvec_pack(n, reinterpret_cast<const double*>(M.data()), hvM.data());
  p.A = sparse(-hvB);
  p.b = -hvM;
  p.c = VectorXd::Ones(1);
  return p;
}

// b from 10^-decades to 10^decades: the rows of B differ by 2 * decades orders of magnitude
VectorXd spread_diagonal(int n, double decades) {
  VectorXd b(n);
  for (int i = 0; i < n; ++i) b[i] = std::pow(10.0, decades * (-1.0 + 2.0 * i / (n - 1)));
  return b;
}

// Both modes on a moderate spread (1e-1..1e1); "congruence" also on 1e-3..1e3, where "block" stops at
// the iteration cap (measured: 100,000 iterations at eps 1e-8; docs/solver.md).
struct Case {
  const char* mode;
  double decades;
};
constexpr Case kCases[] = {{"block", 1.0}, {"congruence", 1.0}, {"congruence", 3.0}};

}  // namespace

TEST(PsdCongruence, DOfEveryPsdBlockIsRankOne) {
  const ConeSpec k = mixed_cones();
  const auto blocks = cone_blocks(k);
  const auto eq = ruiz_equilibrate(badly_scaled_rows(k.dimension(), 5, 7), blocks, 10, false, PsdScaling::congruence);
  ASSERT_EQ(blocks[1].kind, BlockKind::psd_real);
  ASSERT_EQ(blocks[2].kind, BlockKind::psd_complex);
  const MatrixXd R = unpack_real(4, eq.D.data() + blocks[1].offset);
  const MatrixXcd C = unpack_complex(3, eq.D.data() + blocks[2].offset);
  // D_(ij)^2 = D_(ii) D_(jj); the unpacked off-diagonal is D_(ij) / sqrt(2) (re and im alike)
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < i; ++j) EXPECT_NEAR(2.0 * R(i, j) * R(i, j), R(i, i) * R(j, j), 1e-12 * R(i, i) * R(j, j));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < i; ++j) {
      const double dd = C(i, i).real() * C(j, j).real();
      EXPECT_NEAR(2.0 * C(i, j).real() * C(i, j).real(), dd, 1e-12 * dd);
      EXPECT_NEAR(2.0 * C(i, j).imag() * C(i, j).imag(), dd, 1e-12 * dd);
    }
  // not one constant: the rows of A differ by orders of magnitude, so the t_i must too
  EXPECT_GT(R.diagonal().maxCoeff() / R.diagonal().minCoeff(), 10.0);
  EXPECT_GT(C.diagonal().real().maxCoeff() / C.diagonal().real().minCoeff(), 10.0);
  for (int i = 0; i < eq.D.size(); ++i) {
    EXPECT_GE(eq.D[i], 1e-4 * (1 - 1e-12));
    EXPECT_LE(eq.D[i], 1e4 * (1 + 1e-12));
  }
  // "block" keeps one scale per PSD block
  const auto blk = ruiz_equilibrate(badly_scaled_rows(k.dimension(), 5, 7), blocks, 10, false, PsdScaling::block);
  EXPECT_EQ(blk.D.segment(blocks[1].offset, blocks[1].size).minCoeff(),
            blk.D.segment(blocks[1].offset, blocks[1].size).maxCoeff());
}

TEST(PsdCongruence, ScalingIsTheCongruenceTXT) {
  const ConeSpec k = mixed_cones();
  const auto blocks = cone_blocks(k);
  const auto eq = ruiz_equilibrate(badly_scaled_rows(k.dimension(), 5, 11), blocks, 10, false, PsdScaling::congruence);
  // real: D o svec(X) == svec(T X T) with t_i = sqrt(D_(ii)), and stays PSD
  MatrixXd G = MatrixXd::Random(4, 4);
  const MatrixXd X = G * G.transpose();
  VectorXd sx(10), tx(10);
  isacbf::kernels::svec_pack(4, X.data(), sx.data());
  const VectorXd dr = eq.D.segment(blocks[1].offset, 10);
  const VectorXd t = unpack_real(4, dr.data()).diagonal().cwiseSqrt();
  const MatrixXd TXT = t.asDiagonal() * X * t.asDiagonal();
  isacbf::kernels::svec_pack(4, TXT.data(), tx.data());
  EXPECT_LE((dr.cwiseProduct(sx) - tx).lpNorm<Eigen::Infinity>(), 1e-12 * tx.lpNorm<Eigen::Infinity>());
  EXPECT_GE(Eigen::SelfAdjointEigenSolver<MatrixXd>(unpack_real(4, VectorXd(dr.cwiseProduct(sx)).data()))
                .eigenvalues()
                .minCoeff(),
            -1e-12 * TXT.norm());
  // complex Hermitian
  MatrixXcd H = MatrixXcd::Random(3, 3);
  const MatrixXcd Y = H * H.adjoint();
  VectorXd hy(9), ty(9);
  isacbf::kernels::hvec_pack(3, reinterpret_cast<const double*>(Y.data()), hy.data());
  const VectorXd dc = eq.D.segment(blocks[2].offset, 9);
  const VectorXd tc = unpack_complex(3, dc.data()).diagonal().real().cwiseSqrt();
  const MatrixXcd TYT = tc.asDiagonal() * Y * tc.asDiagonal();
  isacbf::kernels::hvec_pack(3, reinterpret_cast<const double*>(TYT.data()), ty.data());
  EXPECT_LE((dc.cwiseProduct(hy) - ty).lpNorm<Eigen::Infinity>(), 1e-12 * ty.lpNorm<Eigen::Infinity>());
  EXPECT_GE(Eigen::SelfAdjointEigenSolver<MatrixXcd>(unpack_complex(3, VectorXd(dc.cwiseProduct(hy)).data()))
                .eigenvalues()
                .minCoeff(),
            -1e-12 * TYT.norm());
}

TEST(PsdCongruence, BadlyScaledRealSdpKeepsItsOptimum) {
  const int n = 6;
  MatrixXd M0 = MatrixXd::Random(n, n);
  M0 = (M0 + M0.transpose()).eval();
  const double expected = Eigen::SelfAdjointEigenSolver<MatrixXd>(M0).eigenvalues().maxCoeff();
  for (const auto& [mode, decades] : kCases) {
    const VectorXd b = spread_diagonal(n, decades);
    const MatrixXd sq = b.cwiseSqrt().asDiagonal();
    Settings st = tight();
    st.psd_equilibration = mode;
    const auto s = solve_one(generalized_lambda_max_real(b, sq * M0 * sq), st);
    ASSERT_EQ(s.status, Status::optimal) << mode << " " << decades;
    EXPECT_NEAR(s.primal_objective, expected, 1e-6 * std::fabs(expected)) << mode << " " << decades;
  }
}

TEST(PsdCongruence, BadlyScaledComplexSdpKeepsItsOptimum) {
  const int n = 5;
  MatrixXcd M0 = MatrixXcd::Random(n, n);
  M0 = (M0 + M0.adjoint()).eval();
  const double expected = Eigen::SelfAdjointEigenSolver<MatrixXcd>(M0).eigenvalues().maxCoeff();
  for (const auto& [mode, decades] : kCases) {
    const VectorXd b = spread_diagonal(n, decades);
    const MatrixXcd sq = b.cwiseSqrt().cast<std::complex<double>>().asDiagonal();
    Settings st = tight();
    st.psd_equilibration = mode;
    const auto s = solve_one(generalized_lambda_max_complex(b, sq * M0 * sq), st);
    ASSERT_EQ(s.status, Status::optimal) << mode << " " << decades;
    EXPECT_NEAR(s.primal_objective, expected, 1e-6 * std::fabs(expected)) << mode << " " << decades;
  }
}

TEST(PsdCongruence, UnknownModeIsAnInputError) {
  Settings st;
  st.psd_equilibration = "diagonal";
  EXPECT_THROW(validate(st), isacbf::InputError);
}

// "auto" (the default): congruence on a PSD block whose index spread exceeds kCongruenceSpread, one scale
// on the others. The real block's entry (i, j) rows are scaled by 10^(i+j) (spread 10^6); the complex
// block's rows are all of one size (spread 1).
TEST(PsdCongruence, AutoUsesCongruenceOnlyWhereTheIndexSpreadIsLarge) {
  const ConeSpec k = mixed_cones();
  const auto blocks = cone_blocks(k);
  std::mt19937 gen(3);
  std::uniform_real_distribution<double> u(0.5, 1.0);
  MatrixXd A(k.dimension(), 5);
  for (int r = 0; r < A.rows(); ++r)
    for (int c = 0; c < A.cols(); ++c) A(r, c) = u(gen);
  int row = blocks[1].offset;
  for (int j = 0; j < 4; ++j)
    for (int i = j; i < 4; ++i) A.row(row++) *= std::pow(10.0, i + j);
  EXPECT_EQ(Settings().psd_equilibration, "auto");
  EXPECT_EQ(psd_scaling(Settings()), PsdScaling::automatic);
  const auto eq = ruiz_equilibrate(sparse(A), blocks, 10, false, PsdScaling::automatic);
  const MatrixXd R = unpack_real(4, eq.D.data() + blocks[1].offset);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < i; ++j) EXPECT_NEAR(2.0 * R(i, j) * R(i, j), R(i, i) * R(j, j), 1e-12 * R(i, i) * R(j, j));
  EXPECT_GT(R.diagonal().maxCoeff() / R.diagonal().minCoeff(), 100.0);  // congruence undid the 10^(i+j)
  const VectorXd dc = eq.D.segment(blocks[2].offset, blocks[2].size);
  EXPECT_EQ(dc.minCoeff(), dc.maxCoeff());  // one scale on the complex block
}
