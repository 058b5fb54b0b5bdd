// The x-system's plan (host/conic/linsys_plan.hpp): its symbolic fill against Eigen's numeric factor of the
// same KKT matrix, the dense/sparse choice on patterns whose fill differs, the fallbacks of a forced back
// end, and the memory estimate's share of the factor.
#include <gtest/gtest.h>

#include <Eigen/SparseCholesky>
#include <cmath>
#include <random>
#include <vector>

#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/linsys.hpp"
#include "host/conic/linsys_plan.hpp"
#include "host/conic/memory_estimate.hpp"
#include "tests/sparse_lp_util.hpp"

using namespace isacbf::conic;
using SpMat = Eigen::SparseMatrix<double>;

namespace {

using sparse_lp::bounded_lp;
using sparse_lp::pattern_matrix;

// nnz(L) of Eigen's numeric LDL^T of the KKT matrix, the sparse_ldlt back end's own factorisation.
double eigen_factor_nonzeros(const SpMat& A) {
  Eigen::SimplicialLDLT<SpMat, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt;
  ldlt.compute(kkt_lower(A, Eigen::VectorXd::LinSpaced(A.rows(), 0.5, 2.0), 1e-6));
  EXPECT_EQ(ldlt.info(), Eigen::Success);
  return static_cast<double>(ldlt.matrixL().nestedExpression().nonZeros());
}

ConicProblem lp_with(const SpMat& A) {
  ConicProblem p;
  p.cones.nonneg = static_cast<int>(A.rows());
  p.A = A;
  p.b = Eigen::VectorXd::Ones(A.rows());
  p.c = Eigen::VectorXd::Ones(A.cols());
  return p;
}

}  // namespace

TEST(LinearSystemPlan, SymbolicFillIsEigensFactor) {
  for (const bool banded : {false, true}) {
    const SpMat A = pattern_matrix(800, 400, 4, banded, 7);
    const LinearSystemPlan plan = plan_linear_system(A, "sparse_ldlt");
    EXPECT_EQ(plan.kind, "sparse_ldlt");
    EXPECT_EQ(plan.factor_nonzeros, eigen_factor_nonzeros(A)) << (banded ? "banded" : "random");
    EXPECT_GT(plan.factor_nonzeros, 0.0);
  }
}

// A limit below the factor's size stops the count: the numbers are then lower bounds, at or just past the
// limit (the walk checks after each column of the KKT matrix).
TEST(LinearSystemPlan, SymbolicCountStopsAtItsLimit) {
  const SpMat A = pattern_matrix(2400, 1200, 6, false, 11);
  const SymbolicFactor full = symbolic_ldlt(A);
  ASSERT_TRUE(full.complete);
  EXPECT_EQ(full.nonzeros, eigen_factor_nonzeros(A));
  const SymbolicFactor part = symbolic_ldlt(A, full.nonzeros / 2.0);
  EXPECT_FALSE(part.complete);
  EXPECT_GT(part.nonzeros, full.nonzeros / 2.0);
  EXPECT_LT(part.nonzeros, full.nonzeros);
  EXPECT_LT(part.factor_flops, full.factor_flops);
  EXPECT_TRUE(symbolic_ldlt(A, full.nonzeros).complete) << "a limit equal to the size is not passed";
}

// n = 1200 (above the always-dense 300) and A^T A below 10 % dense in both: random columns fill the factor
// until the dense Cholesky is cheaper; a band keeps it sparse. make_linear_system builds what the plan says.
TEST(LinearSystemPlan, FillDecidesBetweenDenseAndSparse) {
  const SpMat random = pattern_matrix(2400, 1200, 6, false, 11), band = pattern_matrix(2400, 1200, 6, true, 12);
  const SpMat random_normal = random.transpose() * random;
  ASSERT_LT(static_cast<double>(random_normal.nonZeros()), 0.1 * 1200.0 * 1200.0) << "the density shortcut must not decide";
  EXPECT_EQ(plan_linear_system(random).kind, "dense_llt");
  EXPECT_EQ(plan_linear_system(band).kind, "sparse_ldlt");
  EXPECT_EQ(make_linear_system(random)->name(), "dense_llt");
  EXPECT_EQ(make_linear_system(band)->name(), "sparse_ldlt");
  // the fill behind the decision: random columns give a factor over 10x the band's
  EXPECT_GT(plan_linear_system(random, "sparse_ldlt").factor_nonzeros, 10.0 * plan_linear_system(band).factor_nonzeros);
}

TEST(LinearSystemPlan, ForcedBackEnds) {
  const SpMat dense_rows = Eigen::MatrixXd::Random(30, 10).sparseView();
  EXPECT_EQ(plan_linear_system(dense_rows, "woodbury").kind, "dense_llt") << "woodbury falls back to the automatic choice";
  EXPECT_EQ(plan_linear_system(dense_rows, "sparse_ldlt").kind, "sparse_ldlt");
  SpMat diagonal_plus_row(11, 10);
  for (int j = 0; j < 10; ++j) {
    diagonal_plus_row.insert(j, j) = 1.0;
    diagonal_plus_row.insert(10, j) = 0.5;
  }
  const LinearSystemPlan w = plan_linear_system(diagonal_plus_row);
  EXPECT_EQ(w.kind, "woodbury");
  EXPECT_EQ(w.dense_rows, 1.0);
  EXPECT_EQ(plan_linear_system(diagonal_plus_row, "dense_llt").kind, "dense_llt");
  EXPECT_EQ(plan_linear_system(diagonal_plus_row, "cg").kind, "cg");
  EXPECT_EQ(make_linear_system(diagonal_plus_row, "cg")->name(), "cg");
  try {
    plan_linear_system(diagonal_plus_row, "magic");
    ADD_FAILURE() << "an unknown back end must throw";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "linear_solver");
  }
}

// A memory bound moves the choice: the random pattern's dense K (23 MB) does not fit 10 MB while its L
// does, and in 1 MB neither fits, so CG is taken (it holds A's transpose and a few vectors).
TEST(LinearSystemPlan, MemoryBoundPicksWhatFits) {
  const SpMat A = pattern_matrix(2400, 1200, 6, false, 11);
  ASSERT_EQ(plan_linear_system(A).kind, "dense_llt");
  ASSERT_LT(plan_linear_system(A, "sparse_ldlt").factor_bytes, 10e6);
  EXPECT_EQ(plan_linear_system(A, "", 10e6).kind, "sparse_ldlt");
  const LinearSystemPlan tight = plan_linear_system(A, "", 1e6);
  EXPECT_EQ(tight.kind, "cg");
  EXPECT_LT(tight.factor_bytes, 1e6);
}

// Settings::memory_limit_gb reaches the solver's plan: min 1^T x s.t. A x >= 1, x >= 0 (A >= 0, so
// feasible and bounded) solved with a dense K by default and by CG in 1 kB, to the same optimum.
TEST(LinearSystemPlan, SolverFitsItsXSystemIntoTheMemoryLimit) {
  const ConicProblem p = bounded_lp(pattern_matrix(800, 400, 6, false, 5));
  Settings st;
  st.eps_abs = st.eps_rel = 1e-7;
  st.threads = 1;
  const Solution plain = make_cpu_solver()->solve({p}, st).front();
  st.memory_limit_gb = 1e-6;
  const Solution bounded = make_cpu_solver()->solve({p}, st).front();
  ASSERT_EQ(plain.status, Status::optimal) << plain.message;
  ASSERT_EQ(bounded.status, Status::optimal) << bounded.message;
  EXPECT_NE(plain.linear_solver, "cg");
  EXPECT_EQ(bounded.linear_solver, "cg");
  EXPECT_NEAR(bounded.primal_objective, plain.primal_objective, 1e-6 * std::abs(plain.primal_objective));
}

// The memory estimate holds the factor: forced sparse on the random pattern it is at least L's 12 bytes
// per entry (Eigen's count), and forced dense at least the two n x n matrices.
TEST(LinearSystemPlan, MemoryEstimateCountsTheFactor) {
  const ConicProblem p = lp_with(pattern_matrix(2400, 1200, 10, false, 11));
  Settings st;
  st.linear_solver = "sparse_ldlt";
  EXPECT_GE(estimated_memory_bytes(p, st), 12.0 * eigen_factor_nonzeros(p.A));
  st.linear_solver = "dense_llt";
  EXPECT_GE(estimated_memory_bytes(p, st), 16.0 * 1200.0 * 1200.0);
}

// The batch estimate: every problem's held memory plus the working memory of the instances running at once.
// A batch of one is the single-problem estimate; all at once, the sum (when the shares leave the plans as
// they are); one at a time, the held parts and one working set.
TEST(LinearSystemPlan, BatchEstimateCountsTheRunningInstances) {
  const std::vector<ConicProblem> batch(4, lp_with(pattern_matrix(800, 400, 6, false, 5)));
  Settings st;
  const double one = estimated_memory_bytes(batch.front(), st);
  EXPECT_EQ(estimated_batch_memory_bytes({batch.front()}, st, 1), one);
  EXPECT_NEAR(estimated_batch_memory_bytes(batch, st, 4), 4.0 * one, 1e-9 * one);
  const double held = held_memory_bytes(batch.front());
  EXPECT_GT(held, 0.0);
  EXPECT_NEAR(estimated_batch_memory_bytes(batch, st, 1), 3.0 * held + one, 1e-9 * one);
  st.threads = 3;
  EXPECT_EQ(concurrent_instances(st, batch.size()), 3u);
  EXPECT_EQ(concurrent_instances(st, 2), 2u);
}

// The running instances share the memory limit: the LP's dense K and its factor (2.6 MB) fit a 4 MB limit
// one at a time; four at a time each gets 1 MB, so each plans a smaller x-system, to the same optimum.
TEST(LinearSystemPlan, RunningInstancesShareTheMemoryLimit) {
  const ConicProblem p = bounded_lp(pattern_matrix(800, 400, 6, false, 5));
  const std::vector<ConicProblem> batch(4, p);
  Settings st;
  st.eps_abs = st.eps_rel = 1e-7;
  st.memory_limit_gb = 4e-3;
  ASSERT_EQ(plan_linear_system(p.A, "", 4e6).kind, "dense_llt");
  ASSERT_NE(plan_linear_system(p.A, "", 1e6).kind, "dense_llt");
  st.threads = 1;
  const std::vector<Solution> serial = make_cpu_solver()->solve(batch, st);
  st.threads = 4;
  const std::vector<Solution> shared = make_cpu_solver()->solve(batch, st);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    ASSERT_EQ(serial[i].status, Status::optimal) << serial[i].message;
    ASSERT_EQ(shared[i].status, Status::optimal) << shared[i].message;
    EXPECT_EQ(serial[i].linear_solver, "dense_llt");
    EXPECT_NE(shared[i].linear_solver, "dense_llt");
    EXPECT_NEAR(shared[i].primal_objective, serial[i].primal_objective, 1e-6 * std::abs(serial[i].primal_objective));
  }
}
