// The benchmark's counting wrapper (apps/counting_solver.*): what it counts per call, the H100
// eigendecomposition floor of a batched iteration, and that it may be called from several threads
// when the solver it wraps allows that (the CPU reference), as model A's and model B's drivers do.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <thread>
#include <vector>

#include "apps/counting_solver.hpp"
#include "apps/eig_floor.hpp"
#include "conic_test_util.hpp"
#include "lockstep_solver.hpp"

using namespace isacbf;

namespace {

// min t s.t. t I - M >= 0 over complex Hermitian 3 x 3 blocks: lambda_max(M), one variable.
conic::ConicProblem lambda_max_problem(double shift) {
  Eigen::MatrixXcd M = Eigen::MatrixXcd::Zero(3, 3);
  M(0, 0) = 1.0 + shift;
  M(1, 1) = 2.0;
  M(2, 2) = -1.0;
  M(0, 1) = {0.5, 0.25};
  M(1, 0) = std::conj(M(0, 1));
  return conic_test::lambda_max_complex(M);
}

}  // namespace

TEST(CountingSolver, CountsIterationsAndTheFloorOfEachCall) {
  const auto cpu = conic::make_cpu_solver();
  apps::CountingSolver counting(*cpu);
  EXPECT_TRUE(counting.concurrent_single_calls());  // forwarded from the CPU reference
  const std::vector<conic::ConicProblem> batch{lambda_max_problem(0.0), lambda_max_problem(0.7)};
  const auto sol = counting.solve(batch, conic::Settings{});
  ASSERT_EQ(sol.size(), 2u);
  const int longest = std::max(sol[0].iterations, sol[1].iterations);
  const apps::SolveCounts& c = counting.counts();
  EXPECT_EQ(c.calls, 1);
  EXPECT_EQ(c.instance_iterations, sol[0].iterations + sol[1].iterations);
  EXPECT_EQ(c.batch_iterations, longest);
  // one Hermitian 3 x 3 block per problem, two problems, `longest` iterations of the batched loop
  EXPECT_NEAR(c.floor_us, 2.0 * apps::h100_eig_floor_us(3) * longest, 1e-12 * c.floor_us);
  EXPECT_GT(apps::h100_eig_floor_us(3), 0.0);
  EXPECT_TRUE(counting.solve({}, conic::Settings{}).empty());
  EXPECT_EQ(counting.counts().calls, 1);  // an empty call counts nothing

  isacbf::testing::LockstepSolver batching;  // a batching backend: not forwarded as concurrent
  EXPECT_FALSE(apps::CountingSolver(batching).concurrent_single_calls());
}

TEST(CountingSolver, CallsFromSeveralThreadsAreAllCounted) {
  const auto cpu = conic::make_cpu_solver();
  apps::CountingSolver counting(*cpu);
  constexpr int kThreads = 4, kCallsEach = 25;
  std::vector<long long> iterations(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < kCallsEach; ++i)
        iterations[t] += counting.solve({lambda_max_problem(0.01 * (t * kCallsEach + i))}, conic::Settings{}).front().iterations;
    });
  for (auto& th : pool) th.join();
  long long total = 0;
  for (long long n : iterations) total += n;
  EXPECT_EQ(counting.counts().calls, kThreads * kCallsEach);
  EXPECT_EQ(counting.counts().instance_iterations, total);
  EXPECT_EQ(counting.counts().batch_iterations, total);  // one problem per call
}
