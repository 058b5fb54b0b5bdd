// The CG-first back end (host/conic/linsys_cg_first.cpp): which plans get it, that it keeps CG where CG is
// cheap and builds the planned factor where it is dear, and that every solve, including the one during
// which it switches, equals the dense factor's to rounding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "host/conic/batch_solver.hpp"
#include "host/conic/linsys.hpp"
#include "host/conic/linsys_plan.hpp"
#include "tests/sparse_lp_util.hpp"

using namespace isacbf::conic;
using SpMat = Eigen::SparseMatrix<double>;

namespace {

// The fill-heavy pattern on which a dense factor of n = 1500 costs more than kCgFirstWork.
SpMat random_pattern(int m, int n, unsigned seed) { return sparse_lp::pattern_matrix(m, n, 5, false, seed); }

// Solves K x = a for a sequence of right-hand sides that drift slowly (as the ADMM's do), with the system
// under test and with the dense Cholesky, and returns the largest relative difference.
double largest_difference(LinearSystem& tested, const SpMat& A, const Eigen::VectorXd& d, double rho, int solves) {
  auto reference = make_dense_system(A);
  tested.factor(d, rho);
  reference->factor(d, rho);
  std::mt19937 rng(3);
  std::normal_distribution<double> normal;
  Eigen::VectorXd a = Eigen::VectorXd::NullaryExpr(A.cols(), [&] { return normal(rng); });
  double worst = 0.0;
  for (int k = 0; k < solves; ++k) {
    a += 0.01 * Eigen::VectorXd::NullaryExpr(A.cols(), [&] { return normal(rng); });
    Eigen::VectorXd x = a, x_ref = a;
    tested.solve(x);
    reference->solve(x_ref);
    worst = std::max(worst, (x - x_ref).norm() / x_ref.norm());
  }
  return worst;
}

constexpr int kRows = 3000, kCols = 1500;

}  // namespace

// Dear factors come after CG; cheap ones, forced back ends and Woodbury do not.
TEST(CgFirst, PlannedOnlyForDearFactorsInTheAutomaticChoice) {
  const SpMat A = random_pattern(kRows, kCols, 1);
  const LinearSystemPlan plan = plan_linear_system(A);
  EXPECT_EQ(plan.kind, "dense_llt");
  EXPECT_GT(plan.work, kCgFirstWork);
  EXPECT_TRUE(plan.cg_first);
  EXPECT_TRUE(plan_linear_system(A, "woodbury").cg_first) << "woodbury falls back to the automatic choice";
  for (const char* forced : {"dense_llt", "sparse_ldlt", "cg"}) EXPECT_FALSE(plan_linear_system(A, forced).cg_first) << forced;
  const SpMat small = random_pattern(1200, 600, 2);
  EXPECT_LT(plan_linear_system(small).work, kCgFirstWork);
  EXPECT_FALSE(plan_linear_system(small).cg_first);
  SpMat diagonal_plus_row(kCols + 1, kCols);
  for (int j = 0; j < kCols; ++j) {
    diagonal_plus_row.insert(j, j) = 1.0;
    diagonal_plus_row.insert(kCols, j) = 0.5;
  }
  EXPECT_FALSE(plan_linear_system(diagonal_plus_row).cg_first);
}

// K = rho I + A^T D A with D near the identity is well conditioned: CG needs a few dozen steps a solve,
// far under the dense factor's budget, and serves every solve.
TEST(CgFirst, KeepsConjugateGradientsWhereTheyAreCheap) {
  const SpMat A = random_pattern(kRows, kCols, 1);
  auto system = make_linear_system(A);
  const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(kRows, 0.5, 2.0);
  EXPECT_LT(largest_difference(*system, A, d, 1e-6, 60), 1e-8);
  EXPECT_EQ(system->name(), "cg");
  EXPECT_NE(system->detail().find("before dense_llt"), std::string::npos) << system->detail();
}

// D spread over twelve orders of magnitude makes K ill-conditioned: CG would need thousands of steps a
// solve, so the first solve passes the budget, the dense factor is built, and that solve and every later
// one equal the reference.
TEST(CgFirst, BuildsThePlannedFactorWhereConjugateGradientsAreDear) {
  const SpMat A = random_pattern(kRows, kCols, 1);
  auto system = make_linear_system(A);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> exponent(-6.0, 6.0);
  const Eigen::VectorXd d = Eigen::VectorXd::NullaryExpr(kRows, [&] { return std::pow(10.0, exponent(rng)); });
  EXPECT_LT(largest_difference(*system, A, d, 1e-6, 5), 1e-8);
  EXPECT_EQ(system->name(), "dense_llt");
  EXPECT_NE(system->detail().find("after 1 cg solves"), std::string::npos) << system->detail();
  // a refactorisation after the switch goes to the factor
  EXPECT_LT(largest_difference(*system, A, Eigen::VectorXd::Ones(kRows), 1e-3, 3), 1e-10);
}

// The solver end to end: the bounded LP (sparse_lp_util.hpp) by CG first and by the dense factor it stands
// in for, to the same point (both take 2401 iterations at tol 1e-4 and agree to 2e-11: CG's solves are
// exact to 1e-10); the result names the back end that served.
TEST(CgFirst, SolverReachesTheDenseFactorsOptimum) {
  const ConicProblem p = sparse_lp::bounded_lp(random_pattern(kRows, kCols, 1));
  Settings st;
  st.eps_abs = st.eps_rel = 1e-4;
  st.threads = 1;
  const Solution first = make_cpu_solver()->solve({p}, st).front();
  st.linear_solver = "dense_llt";
  const Solution dense = make_cpu_solver()->solve({p}, st).front();
  ASSERT_EQ(first.status, Status::optimal) << first.message;
  ASSERT_EQ(dense.status, Status::optimal) << dense.message;
  EXPECT_EQ(first.linear_solver, "cg");
  EXPECT_EQ(dense.linear_solver, "dense_llt");
  EXPECT_NEAR(first.primal_objective, dense.primal_objective, 1e-6 * std::abs(dense.primal_objective));
}
