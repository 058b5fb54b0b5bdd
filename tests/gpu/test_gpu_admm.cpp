// The GPU batched ADMM on problems with known optima, one per cone type, plus certificates, masking
// (a batch gives the same answers as its instances solved one by one) and bad input.
#include <gtest/gtest.h>

#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"

#ifdef ISACBF_HAVE_CUDA
#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <vector>

#include "cuda/check.hpp"
#include "host/bench/synthetic_p4.hpp"
#include "tests/gpu/gpu_test_problems.hpp"

namespace {
using namespace isacbf::conic;

using gpu_test::make;
using gpu_test::min_eig_problem;

Settings tight() {
  Settings s;
  s.eps_abs = s.eps_rel = 1e-8;  // 1e-9 took > 200k plain iterations at n = 40 (no Anderson on the GPU)
  s.max_iters = 100000;
  return s;
}

class GpuAdmm : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isacbf::gpu::device_present()) GTEST_SKIP() << "no CUDA device";
    solver_ = make_gpu_solver();
  }
  Solution solve_one(const ConicProblem& p, const Settings& s = tight()) { return solver_->solve({p}, s).at(0); }
  std::unique_ptr<BatchSolver> solver_;
};

void expect_optimal(const Solution& s, double optimum) {
  ASSERT_EQ(s.status, Status::optimal) << s.message;
  EXPECT_NEAR(s.primal_objective, optimum, 1e-6 * (1.0 + std::abs(optimum)));
  EXPECT_NEAR(s.dual_objective, optimum, 1e-6 * (1.0 + std::abs(optimum)));
  EXPECT_LE(s.primal_residual, 1e-6);
  EXPECT_LE(s.dual_residual, 1e-6);
}

// Five model-A P4 problems (K = 2, Nt = 4) from consecutive seeds.
std::vector<ConicProblem> five_p4_instances(unsigned first_seed) {
  std::vector<ConicProblem> batch;
  for (unsigned i = 0; i < 5; ++i) batch.push_back(isacbf::bench::synthetic_p4(2, 4, first_seed + i).problem);
  return batch;
}

// Instance by instance: the same status, iteration count and objective (to rounding).
void expect_same_solutions(const std::vector<Solution>& expected, const std::vector<Solution>& got) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(got[i].status, expected[i].status) << i;
    EXPECT_EQ(got[i].iterations, expected[i].iterations) << i;
    EXPECT_NEAR(got[i].primal_objective, expected[i].primal_objective, 1e-12 * (1.0 + std::abs(expected[i].primal_objective))) << i;
  }
}

TEST_F(GpuAdmm, LinearProgramOnTheSimplex) {
  ConeSpec k;
  k.zero = 1;
  k.nonneg = 3;
  // sum x = 1, x >= 0, minimise c^T x -> min c_i
  const auto p = make(k, 3, {{0, 0, 1}, {0, 1, 1}, {0, 2, 1}, {1, 0, -1}, {2, 1, -1}, {3, 2, -1}}, {1, 0, 0, 0},
                      {0.3, -0.2, 0.5});
  expect_optimal(solve_one(p), -0.2);
}

TEST_F(GpuAdmm, SecondOrderCone) {
  ConeSpec k;
  k.soc = {4};
  // minimise -a^T x subject to ||x|| <= 1 -> -||a||
  const auto p = make(k, 3, {{1, 0, -1}, {2, 1, -1}, {3, 2, -1}}, {1, 0, 0, 0}, {-1.0, 2.0, -2.0});
  expect_optimal(solve_one(p), -3.0);
}

TEST_F(GpuAdmm, RealAndComplexPsdConesOfEverySizeClass) {
  // 3 real and 4 complex: one thread per matrix; 6, 13: one warp per matrix; 40: cuSOLVER (no graph)
  for (auto [n, cplx] : std::vector<std::pair<int, bool>>{{3, false}, {4, true}, {6, true}, {13, true}, {40, true}}) {
    double lmin = 0.0;
    const auto p = min_eig_problem(n, cplx, 5 + n, &lmin);
    SCOPED_TRACE("n = " + std::to_string(n));
    expect_optimal(solve_one(p), lmin);
  }
}

TEST_F(GpuAdmm, PrimalExponentialCone) {
  ConeSpec k;
  k.nonneg = 1;
  k.exp_primal = 1;
  // maximise r subject to e^r <= t <= 2 -> -log 2
  const auto p = make(k, 2, {{0, 1, 1}, {1, 0, -1}, {3, 1, -1}}, {2, 0, 1, 0}, {-1, 0});
  expect_optimal(solve_one(p), -std::log(2.0));
}

TEST_F(GpuAdmm, DualExponentialCone) {
  ConeSpec k;
  k.zero = 2;
  k.exp_dual = 1;
  // minimise w subject to u = -1, v = 0, (u, v, w) in K_exp^* -> 1/e
  const auto p = make(k, 3, {{0, 0, 1}, {1, 1, 1}, {2, 0, -1}, {3, 1, -1}, {4, 2, -1}}, {-1, 0, 0, 0, 0}, {0, 0, 1});
  expect_optimal(solve_one(p), std::exp(-1.0));
}

TEST_F(GpuAdmm, InfeasibleAndUnboundedCertificates) {
  ConeSpec k;
  k.nonneg = 2;
  // x >= 1 and x <= -1
  const auto infeasible = make(k, 1, {{0, 0, -1}, {1, 0, 1}}, {-1, -1}, {1});
  const auto s1 = solve_one(infeasible);
  EXPECT_EQ(s1.status, Status::infeasible);
  EXPECT_NEAR(s1.dual_objective, 1.0, 1e-9);  // certificate normalised to b^T y = -1
  ConeSpec k2;
  k2.nonneg = 1;
  const auto unbounded = make(k2, 1, {{0, 0, -1}}, {0}, {-1});
  EXPECT_EQ(solve_one(unbounded).status, Status::unbounded);
}

TEST_F(GpuAdmm, ModelAShapedBatchReachesTheClosedFormOptimum) {
  for (int d : {4, 6}) {
    std::vector<ConicProblem> batch;
    std::vector<double> optimum;
    for (int i = 0; i < 6; ++i) {
      auto s = isacbf::bench::synthetic_p4(3, d, 100 + i);
      batch.push_back(s.problem);
      optimum.push_back(s.optimum);
    }
    Settings st;
    st.eps_abs = st.eps_rel = 1e-8;
    st.max_iters = 200000;
    const auto sol = solver_->solve(batch, st);
    for (size_t i = 0; i < batch.size(); ++i) {
      SCOPED_TRACE("d = " + std::to_string(d) + ", instance " + std::to_string(i));
      ASSERT_EQ(sol[i].status, Status::optimal);
      EXPECT_NEAR(sol[i].primal_objective, optimum[i], 1e-5 * (1.0 + std::abs(optimum[i])));
    }
  }
}

TEST_F(GpuAdmm, BatchMatchesInstancesSolvedOneByOne) {
  // Masked instances stop at their own iteration; the others must not be disturbed by them.
  const std::vector<ConicProblem> batch = five_p4_instances(7);
  Settings st;
  st.eps_abs = st.eps_rel = 1e-7;
  const auto together = solver_->solve(batch, st);
  std::vector<Solution> alone;
  for (const auto& p : batch) alone.push_back(solve_one(p, st));
  expect_same_solutions(alone, together);
}

// Settings::gpu_max_batch cuts the batch into device batches of 2, 2 and 1 (host/conic/device_batch.hpp):
// the same answers as one device batch, in the caller's order.
TEST_F(GpuAdmm, BatchCutIntoDeviceBatchesMatchesOneDeviceBatch) {
  const std::vector<ConicProblem> batch = five_p4_instances(17);
  Settings st;
  st.eps_abs = st.eps_rel = 1e-7;
  const auto whole = solver_->solve(batch, st);
  st.gpu_max_batch = 2;
  expect_same_solutions(whole, solver_->solve(batch, st));
}

TEST_F(GpuAdmm, MixedStatusesInOneBatch) {
  ConeSpec k;
  k.nonneg = 2;
  // x >= lo, x <= hi: feasible when lo <= hi
  auto box = [&](double lo, double hi) { return make(k, 1, {{0, 0, -1}, {1, 0, 1}}, {-lo, hi}, {1}); };
  const auto sol = solver_->solve({box(0, 1), box(1, -1), box(-2, 3)}, tight());
  EXPECT_EQ(sol[0].status, Status::optimal);
  EXPECT_EQ(sol[1].status, Status::infeasible);
  EXPECT_EQ(sol[2].status, Status::optimal);
  EXPECT_NEAR(sol[0].primal_objective, 0.0, 1e-6);
  EXPECT_NEAR(sol[2].primal_objective, -2.0, 1e-6);
}

// One device batch takes one sparsity pattern of A (prepare_batch refuses more, test_gpu_prep.cpp); the
// solver splits a batch that mixes patterns or cone shapes and gives each problem its own answer, in order.
TEST_F(GpuAdmm, BatchesWithDifferentStructureAreSolvedPerStructure) {
  ConeSpec k;
  k.nonneg = 2;
  // min x s.t. 0 <= x <= 1 (a), min x s.t. x >= 0 (b: another pattern), min x s.t. x >= 2 (c: other cones)
  const auto a = make(k, 1, {{0, 0, -1}, {1, 0, 1}}, {0, 1}, {1});
  const auto b = make(k, 1, {{0, 0, -1}}, {0, 1}, {1});
  ConeSpec k1;
  k1.nonneg = 1;
  const auto c = make(k1, 1, {{0, 0, -1}}, {-2}, {1});
  const auto sols = solver_->solve({a, b, c, a}, tight());
  ASSERT_EQ(sols.size(), 4u);
  expect_optimal(sols[0], 0.0);
  expect_optimal(sols[1], 0.0);
  expect_optimal(sols[2], 2.0);
  expect_optimal(sols[3], 0.0);
}

}  // namespace
#else
TEST(GpuAdmm, UnavailableWithoutCuda) {
  EXPECT_THROW(isacbf::conic::make_gpu_solver(), isacbf::GpuUnavailable);
}
#endif
