// The manifold batch seam on the CPU: the shared CG decisions (kernels/riemannian_cg.hpp), the batch
// against one-by-one runs, shape and input checks naming the instance, and the lockstep HAD batch
// against run_had instance by instance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "host/common/errors.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/had_design.hpp"
#include "host/model_b/manifold_batch.hpp"
#include "host/model_b/mo_altmin.hpp"
#include "tests/manifold_test_problems.hpp"
#include "tests/lockstep_solver.hpp"
#include "tests/model_b_test_scenarios.hpp"
#include "tests/input_error_field.hpp"

using namespace isacbf;
using namespace isacbf::model_b;
using namespace isacbf::model_b::test_problems;
using isacbf::testing::field_of;

namespace {

kernels::CgOptions options(int max_iterations = 10) { return {max_iterations, 1e-8, 1e-10, 1e-4, true}; }

}  // namespace

TEST(CgDecisions, BeginStopsAtTheGradientToleranceAndTheIterationLimit) {
  kernels::CgScalars s;
  kernels::cg_start(s, 100.0, 4.0);
  EXPECT_DOUBLE_EQ(s.step, 0.5);  // 1 / ||grad||
  // Tolerance 1e-8 * max(1, |f|) = 1e-6 on ||grad||.
  kernels::cg_begin(s, 4e-12, 4e-12, options());  // ||grad|| = 2e-6
  EXPECT_EQ(s.phase, kernels::kCgTrial);
  EXPECT_DOUBLE_EQ(s.t, 1.0);  // twice the last step
  kernels::cg_begin(s, 0.81e-12, 1.0, options());  // ||grad|| = 9e-7
  EXPECT_EQ(s.phase, kernels::kCgDone);
  kernels::cg_start(s, 1.0, 4.0);
  s.iterations = 10;
  kernels::cg_begin(s, 4.0, 4.0, options(10));
  EXPECT_EQ(s.phase, kernels::kCgDone);
}

TEST(CgDecisions, NonDescentDirectionRestarts) {
  kernels::CgScalars s;
  kernels::cg_start(s, 1.0, 4.0);
  kernels::cg_begin(s, 4.0, -1.0, options());
  EXPECT_EQ(s.restart, 1);
  EXPECT_DOUBLE_EQ(s.slope, 4.0);  // steepest descent: slope = ||grad||^2
  kernels::cg_begin(s, 4.0, 2.0, options());
  EXPECT_EQ(s.restart, 0);
  EXPECT_DOUBLE_EQ(s.slope, 2.0);
}

TEST(CgDecisions, ArmijoHalvesTheStepAndGivesUpAfterTheLimit) {
  kernels::CgScalars s;
  kernels::cg_start(s, 1.0, 1.0);
  kernels::cg_begin(s, 1.0, 1.0, options());
  const double t0 = s.t;
  int trials = 0;
  while (s.phase == kernels::kCgTrial) {
    kernels::cg_trial(s, 2.0, options());  // never a decrease
    ++trials;
  }
  EXPECT_EQ(trials, kernels::kMaxBacktracks);
  EXPECT_EQ(s.phase, kernels::kCgDone);
  EXPECT_DOUBLE_EQ(s.t, std::ldexp(t0, -kernels::kMaxBacktracks));
  // Sufficient decrease f - armijo t slope accepts; the step is remembered, a tiny decrease stops.
  kernels::cg_start(s, 1.0, 1.0);
  kernels::cg_begin(s, 1.0, 1.0, options());
  kernels::cg_trial(s, 1.0 - 2e-4 * s.t, options());
  ASSERT_EQ(s.phase, kernels::kCgAccepted);
  const double t = s.t;
  kernels::cg_accept(s, options());
  EXPECT_EQ(s.iterations, 1);
  EXPECT_DOUBLE_EQ(s.step, t);
  EXPECT_EQ(s.phase, kernels::kCgBegin);
  kernels::CgOptions loose = options();
  loose.armijo = 1e-12;
  kernels::cg_begin(s, 1.0, 1.0, loose);
  kernels::cg_trial(s, s.f - 5e-12, loose);  // Armijo needs 1e-12 * t (= 2 step = 4e-12)
  ASSERT_EQ(s.phase, kernels::kCgAccepted);
  kernels::cg_accept(s, loose);
  EXPECT_EQ(s.phase, kernels::kCgDone) << "a decrease below 1e-10 relative stops";
}

TEST(ManifoldBatch, CpuBatchEqualsOneByOneRuns) {
  std::mt19937_64 rng(41);
  const auto [problems, F0] = random_batch(6, 8, 3, 5, 4, rng);
  ManifoldOptions o;
  o.max_iterations = 60;
  const auto results = make_cpu_manifold_solver(2)->minimise(problems, F0, o);
  ASSERT_EQ(results.size(), problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const ManifoldResult one = minimise_on_circle_manifold(problems[i], F0[i], o);
    EXPECT_EQ(results[i].iterations, one.iterations);
    EXPECT_EQ(results[i].cost_trace, one.cost_trace);
    EXPECT_EQ((results[i].F - one.F).norm(), 0.0);
    EXPECT_LT(results[i].cost_trace.back(), results[i].cost_trace.front()) << "descent";
  }
}

TEST(ManifoldBatch, BadInputNamesTheInstance) {
  std::mt19937_64 rng(42);
  std::vector<ManifoldProblem> problems{random_problem(8, 3, 5, 4, rng), random_problem(8, 3, 6, 4, rng)};
  std::vector<Eigen::MatrixXcd> F0{random_unit_modulus(8, 3, rng), random_unit_modulus(8, 3, rng)};
  const ManifoldOptions o;
  const auto solver = make_cpu_manifold_solver();
  EXPECT_EQ(field_of([&] { solver->minimise(problems, F0, o); }), "problems[1]");  // P differs
  problems[1] = random_problem(8, 3, 5, 4, rng);
  problems[1].mu[0] = std::nan("");
  EXPECT_EQ(field_of([&] { solver->minimise(problems, F0, o); }), "problems[1].mu[0]");
  problems[1].mu[0] = 1.0;
  F0[0](2, 1) = std::numeric_limits<double>::infinity();
  EXPECT_EQ(field_of([&] { solver->minimise(problems, F0, o); }), "problems[0].F");
  F0.pop_back();
  EXPECT_EQ(field_of([&] { solver->minimise(problems, F0, o); }), "F0");
  ManifoldOptions bad;
  bad.armijo = 1.5;
  EXPECT_EQ(field_of([&] { make_cpu_manifold_solver()->minimise({}, {}, bad); }), "armijo");
  EXPECT_TRUE(make_cpu_manifold_solver()->minimise({}, {}, o).empty());
}

TEST(ManifoldBatch, PackedLayoutHoldsEachInstanceContiguously) {
  std::mt19937_64 rng(43);
  std::vector<ManifoldProblem> problems{random_problem(4, 2, 3, 2, rng), random_problem(4, 2, 3, 2, rng)};
  std::vector<Eigen::MatrixXcd> F0{random_unit_modulus(4, 2, rng), random_unit_modulus(4, 2, rng)};
  const ManifoldBatchData d = pack_manifold_batch(problems, F0, ManifoldOptions{});
  EXPECT_EQ(d.batch, 2);
  EXPECT_EQ(d.dims.num_penalties, 2);
  EXPECT_EQ(d.C[4 * 3 + 5], problems[1].C(5));
  EXPECT_EQ(d.B[2 * 2 + 3], problems[1].B(3));
  EXPECT_EQ(d.pen_a[2 * 3 * 2 + 3 * 2 + 1], problems[1].pen_a[1](1));
  EXPECT_EQ(d.mu[3], problems[1].mu[1]);
  EXPECT_EQ(d.F0[8 + 7], F0[1](7));
}

// The lockstep batch follows each instance's own sequence: the same results as run_had one by one.
TEST(ModelBHadBatch, LockstepBatchEqualsOneByOneDesigns) {
  const auto solver = conic::make_cpu_solver();
  std::vector<Instance> instances;
  for (int seed = 1; seed <= 3; ++seed) instances.push_back(generate(fixtures::small_scenario(1), static_cast<std::uint64_t>(seed)));
  instances.push_back(generate(fixtures::small_scenario(2), 4));  // two sensing beams: another cone shape
  HadOptions o;
  o.n_rf = 6;
  o.max_iterations = 4;
  o.conic = FpOptions{}.conic;
  const auto manifold = make_cpu_manifold_solver(2);
  isacbf::testing::LockstepSolver lockstep;  // rounds, as with the GPU / CVXOPT backends
  ASSERT_TRUE(solver->concurrent_single_calls());  // the CPU reference: each design on its own thread
  const std::vector<HadResult> rounds = run_had_batch(instances, lockstep, *manifold, o);
  const std::vector<HadResult> threaded = run_had_batch(instances, *solver, *manifold, o);
  ASSERT_EQ(rounds.size(), instances.size());
  ASSERT_EQ(threaded.size(), instances.size());
  // The first round: every design, in one call per cone shape (two shapes here).
  EXPECT_FALSE(lockstep.mixed_cones);
  ASSERT_GE(lockstep.call_sizes.size(), 2u);
  EXPECT_EQ(lockstep.call_sizes[0], instances.size() - 1);
  EXPECT_EQ(lockstep.call_sizes[1], 1u);
  EXPECT_FALSE(lockstep.call_cones[0] == lockstep.call_cones[1]);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    SCOPED_TRACE(i);
    const HadResult one = run_had(instances[i], *solver, o);
    for (const HadResult* batch : {&rounds[i], &threaded[i]}) {
      EXPECT_EQ(batch->status, one.status);
      EXPECT_EQ(batch->iterations, one.iterations);
      EXPECT_EQ(batch->objective_trace, one.objective_trace);
      EXPECT_EQ((batch->F - one.F).norm(), 0.0);
    }
  }
  instances[1].Nt = 0;
  EXPECT_EQ(field_of([&] { run_had_batch(instances, *solver, *manifold, o); }), "N_RF");
}

namespace {

// MO-AltMin written out serially (the algorithm of Yu et al. with this library's manifold CG), the
// reference the lockstep batch must reproduce exactly on the CPU backend.
AltMinResult serial_altmin(const Eigen::MatrixXcd& T, int n_rf, const AltMinOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * 3.14159265358979323846);
  AltMinResult r;
  r.F.resize(T.rows(), n_rf);
  for (Eigen::Index i = 0; i < r.F.size(); ++i) r.F(i) = std::polar(1.0, phase(rng));
  ManifoldProblem p;
  p.identity_probes = true;
  p.a = Eigen::MatrixXd::Ones(T.rows(), T.cols());
  p.beta = -2.0 * T;
  p.kappa = T.squaredNorm();
  ManifoldOptions mo;
  mo.max_iterations = o.manifold_iterations;
  double previous = INFINITY;
  for (int round = 0; round < o.max_rounds; ++round) {
    r.B = r.F.completeOrthogonalDecomposition().solve(T);
    const double residual = (T - r.F * r.B).norm();
    r.residual_trace.push_back(residual);
    ++r.rounds;
    if (round > 0 && previous - residual <= o.tolerance * previous) break;
    if (round + 1 == o.max_rounds) break;
    previous = residual;
    p.B = r.B;
    r.F = minimise_on_circle_manifold(p, r.F, mo).F;
  }
  return r;
}

}  // namespace

TEST(MoAltMinBatch, CpuBatchEqualsTheSerialAlgorithm) {
  std::mt19937_64 rng(44);
  // Two shapes (the F steps go out as two manifold batches) and stopping rounds that differ.
  std::vector<Eigen::MatrixXcd> T{random_complex(16, 3, rng), random_complex(12, 4, rng), random_complex(16, 3, rng),
                                  random_complex(16, 2, rng)};
  AltMinOptions o;
  o.max_rounds = 15;
  o.tolerance = 1e-2;
  const auto manifold = make_cpu_manifold_solver(2);
  const std::vector<AltMinResult> batch = mo_altmin_batch(T, 4, *manifold, o);
  ASSERT_EQ(batch.size(), T.size());
  std::vector<int> rounds;
  for (std::size_t i = 0; i < T.size(); ++i) {
    SCOPED_TRACE("T[" + std::to_string(i) + "]");
    const AltMinResult one = serial_altmin(T[i], 4, o);
    EXPECT_EQ(batch[i].rounds, one.rounds);
    EXPECT_EQ(batch[i].residual_trace, one.residual_trace);
    EXPECT_EQ((batch[i].F - one.F).norm(), 0.0);
    EXPECT_EQ((batch[i].B - one.B).norm(), 0.0);
    EXPECT_EQ(mo_altmin(T[i], 4, o).residual_trace, one.residual_trace);
    // F and B are the matched pair of the last round, also when the round limit stops the fit.
    EXPECT_NEAR((T[i] - batch[i].F * batch[i].B).norm(), batch[i].residual_trace.back(), 1e-12 * T[i].norm());
    rounds.push_back(batch[i].rounds);
  }
  EXPECT_NE(*std::min_element(rounds.begin(), rounds.end()), *std::max_element(rounds.begin(), rounds.end()))
      << "the instances should leave the lockstep at different rounds";
  EXPECT_EQ(*std::max_element(rounds.begin(), rounds.end()), o.max_rounds) << "one instance should reach the round limit";
}

TEST(MoAltMinBatch, BadInputNamesTheTarget) {
  std::mt19937_64 rng(45);
  std::vector<Eigen::MatrixXcd> T{random_complex(8, 2, rng), random_complex(8, 2, rng)};
  const auto manifold = make_cpu_manifold_solver();
  T[1](3, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(field_of([&] { mo_altmin_batch(T, 3, *manifold); }), "T[1]");
  EXPECT_EQ(field_of([&] { mo_altmin(T[1], 3); }), "T");
  T[1] = random_complex(2, 2, rng);
  EXPECT_EQ(field_of([&] { mo_altmin_batch(T, 3, *manifold); }), "N_RF");
  AltMinOptions o;
  o.max_rounds = 0;
  EXPECT_EQ(field_of([&] { mo_altmin_batch(T, 2, *manifold, o); }), "max_rounds");
  EXPECT_TRUE(mo_altmin_batch({}, 2, *manifold).empty());
}

TEST(ManifoldBatch, MinimiseByShapeSplitsMixedShapesAndKeepsTheCallersIndex) {
  std::mt19937_64 rng(46);
  std::vector<ManifoldProblem> problems{random_problem(8, 3, 5, 4, rng), random_problem(6, 2, 5, 3, rng), random_problem(8, 3, 5, 4, rng)};
  std::vector<Eigen::MatrixXcd> F0{random_unit_modulus(8, 3, rng), random_unit_modulus(6, 2, rng), random_unit_modulus(8, 3, rng)};
  ManifoldOptions o;
  o.max_iterations = 40;
  const auto solver = make_cpu_manifold_solver(2);
  const std::vector<ManifoldResult> results = minimise_by_shape(*solver, problems, F0, o);
  ASSERT_EQ(results.size(), problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const ManifoldResult one = minimise_on_circle_manifold(problems[i], F0[i], o);
    EXPECT_EQ(results[i].cost_trace, one.cost_trace);
    EXPECT_EQ((results[i].F - one.F).norm(), 0.0);
  }
  problems[2].mu[1] = -1.0;  // the third problem is the second of its shape group
  EXPECT_EQ(field_of([&] { minimise_by_shape(*solver, problems, F0, o); }), "problems[2].mu[1]");
  EXPECT_TRUE(minimise_by_shape(*solver, {}, {}, o).empty());
}
