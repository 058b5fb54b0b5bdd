// The ADMM's initial dual scale (host/conic/initial_scale.hpp): Settings::scale > 0 is kept, 0 takes
// ||c_hat||_2 / ||b_hat||_2 of the equilibrated data; the solver starts from it (checked with the
// adaptive scale off, where the reported final scale is the initial one).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <random>

#include "conic_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/conic/cone_projector.hpp"
#include "host/conic/equilibration.hpp"
#include "host/conic/initial_scale.hpp"

using namespace isacbf::conic;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

TEST(InitialScale, PositiveSettingIsKeptAndClamped) {
  const VectorXd b = VectorXd::Constant(3, 2.0), c = VectorXd::Constant(2, 7.0);
  EXPECT_EQ(initial_scale(3.0, b, c), 3.0);
  EXPECT_EQ(initial_scale(1e9, b, c), 1e6);
  EXPECT_EQ(initial_scale(1e-9, b, c), 1e-6);
}

TEST(InitialScale, ZeroSettingIsTheNormRatioWithAFallback) {
  const VectorXd b = (VectorXd(2) << 3.0, 4.0).finished();  // ||b|| = 5
  const VectorXd c = (VectorXd(3) << 1.0, 2.0, 2.0).finished();  // ||c|| = 3
  EXPECT_DOUBLE_EQ(initial_scale(0.0, b, c), 0.6);
  EXPECT_EQ(initial_scale(0.0, VectorXd::Zero(2), c), kFallbackScale);  // feasibility data: b = 0
  EXPECT_EQ(initial_scale(0.0, b, VectorXd::Zero(3)), kFallbackScale);  // c = 0
  EXPECT_EQ(initial_scale(0.0, VectorXd(), VectorXd()), kFallbackScale);
  EXPECT_EQ(initial_scale(0.0, 1e-9 * b, c), 1e6);  // clamped like every scale
}

// A random LP with badly scaled rows and columns (min c^T x, G x <= h, x bounded), so the equilibrated
// b, c differ from the raw ones and the ratio of the raw norms would be a different number.
ConicProblem badly_scaled_lp(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd;
  const int n = 6, m = 10;
  MatrixXd G(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) G(i, j) = nd(rng) * std::pow(10.0, i % 3) * std::pow(10.0, -(j % 2));
  ConicProblem p;
  p.cones.nonneg = m + 2 * n;
  MatrixXd A(m + 2 * n, n);
  A << G, MatrixXd::Identity(n, n), -MatrixXd::Identity(n, n);
  p.A = conic_test::sparse(A);
  p.b = VectorXd::Ones(m + 2 * n);
  p.b.head(m) = G * VectorXd::Constant(n, 0.1) + VectorXd::Ones(m);  // x = 0.1 strictly feasible
  p.c = VectorXd(n);
  for (int j = 0; j < n; ++j) p.c[j] = 30.0 * nd(rng);
  return p;
}

TEST(InitialScale, SolverStartsFromTheEquilibratedDataRatio) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const ConicProblem p = badly_scaled_lp(seed);
    Settings st;
    st.adaptive_scale = false;  // the final scale is then the initial one
    st.max_iters = 5;
    st.threads = 1;
    ASSERT_EQ(st.scale, 0.0) << "the default is the data-based scale";
    // independently: equilibrate, then the ratio of the equilibrated norms
    Equilibration eq = ruiz_equilibrate(p.A, cone_blocks(p.cones), st.equilibration_passes, st.equilibration_l2_pass,
                                        psd_scaling(st));
    Eigen::SparseMatrix<double> ah;
    VectorXd bh, ch;
    apply_equilibration(eq, p.A, p.b, p.c, ah, bh, ch, st.normalize_bc);
    const double expect = ch.norm() / bh.norm();
    ASSERT_GT(std::fabs(std::log(expect / (p.c.norm() / p.b.norm()))), 0.1) << "equilibration must matter here";
    const Solution s = conic_test::solve_one(p, st);
    EXPECT_NEAR(s.scale, expect, 1e-12 * expect) << "seed " << seed;
    st.scale = 0.37;
    EXPECT_EQ(conic_test::solve_one(p, st).scale, 0.37) << "seed " << seed;
  }
}

TEST(InitialScale, DataScaleSolvesToTheSameOptimumAsAFixedOne) {
  const ConicProblem p = badly_scaled_lp(4);
  Settings st = conic_test::tight();
  const Solution data = conic_test::solve_one(p, st);
  st.scale = 0.1;
  const Solution fixed = conic_test::solve_one(p, st);
  ASSERT_EQ(data.status, Status::optimal);
  ASSERT_EQ(fixed.status, Status::optimal);
  EXPECT_NEAR(data.primal_objective, fixed.primal_objective, 1e-6 * (1.0 + std::fabs(fixed.primal_objective)));
}

TEST(InitialScale, NegativeOrNonFiniteSettingIsRejected) {
  for (double bad : {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    Settings st;
    st.scale = bad;
    try {
      validate(st);
      FAIL() << "expected InputError for scale " << bad;
    } catch (const isacbf::InputError& e) {
      EXPECT_EQ(e.field(), "settings.scale");
    }
  }
  Settings zero;
  zero.scale = 0.0;
  EXPECT_NO_THROW(validate(zero));
}

}  // namespace
