// Model B's digital schemes as lockstep batches: run_digital_fp_batch against run_digital_fp job by
// job (mixed options and conic settings), and solve_instances against solve_instance instance by
// instance for every scheme (the batch's bookkeeping: which result belongs to whom, the best carrier,
// the certificate split of comm_only_strict, MO-AltMin grouped by N_RF). Runs on the CPU ADMM, which
// is deterministic per problem, so a batched design must equal the design of a run alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/solve.hpp"
#include "lockstep_solver.hpp"
#include "model_b_test_scenarios.hpp"

using namespace isacbf;
using namespace isacbf::model_b;
using isacbf::testing::LockstepSolver;

namespace {

std::vector<Instance> small_instances(int count, int Ns = 2) {
  std::vector<Instance> out;
  for (int seed = 1; seed <= count; ++seed) out.push_back(generate(fixtures::small_scenario(Ns), static_cast<std::uint64_t>(seed)));
  return out;
}

// Equal up to rounding in the last bits (the same arithmetic, possibly on another thread).
void expect_same_matrix(const Eigen::MatrixXcd& a, const Eigen::MatrixXcd& b, const std::string& what) {
  ASSERT_EQ(a.rows(), b.rows()) << what;
  ASSERT_EQ(a.cols(), b.cols()) << what;
  EXPECT_LE((a - b).norm(), 1e-10 * std::max(1.0, b.norm())) << what;
}

void expect_same_fp(const FpResult& a, const FpResult& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_EQ(a.feasibility_iterations, b.feasibility_iterations);
  EXPECT_EQ(a.feasible_point_found, b.feasible_point_found);
  EXPECT_EQ(a.initial_point_feasible, b.initial_point_feasible);
  EXPECT_EQ(a.xi, b.xi);
  ASSERT_EQ(a.objective_trace.size(), b.objective_trace.size());
  for (std::size_t i = 0; i < a.objective_trace.size(); ++i)
    EXPECT_NEAR(a.objective_trace[i], b.objective_trace[i], 1e-10 * std::abs(b.objective_trace[i]));
  expect_same_matrix(a.W, b.W, "W");
  expect_same_matrix(a.R_s, b.R_s, "R_s");
}

}  // namespace

TEST(DigitalFpBatch, EachJobGetsTheDesignOfARunAlone) {
  const std::vector<Instance> instances = small_instances(3);
  FpOptions comm_only;
  comm_only.sensing_covariance = false;
  comm_only.eve_on.assign(1, std::vector<bool>(2, false));
  FpOptions loose;  // other conic settings: a second solver call in each round
  loose.conic.eps_abs = loose.conic.eps_rel = 1e-5;
  FpOptions demanding;  // an SCNR threshold the xi grid cannot meet: the feasibility phase runs first
  demanding.xi_grid = 1;
  Instance hard = instances[2];
  hard.Gamma_s_dB = 25;
  const std::vector<FpJob> jobs{{instances[0], {}}, {instances[1], comm_only}, {instances[2], loose},
                                {hard, demanding},  {instances[0], loose}};
  const auto solver = conic::make_cpu_solver();
  ASSERT_TRUE(solver->concurrent_single_calls());  // so the first batch runs each design on its own thread
  LockstepSolver lockstep;
  const std::vector<FpResult> threaded = run_digital_fp_batch(jobs, *solver);
  const std::vector<FpResult> rounds = run_digital_fp_batch(jobs, lockstep);
  ASSERT_EQ(threaded.size(), jobs.size());
  ASSERT_EQ(rounds.size(), jobs.size());
  LockstepSolver serial;  // counts the steps of the runs alone
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    SCOPED_TRACE("job " + std::to_string(i));
    const FpResult alone = run_digital_fp(jobs[i].instance, serial, jobs[i].options);
    expect_same_fp(threaded[i], alone);
    expect_same_fp(rounds[i], alone);
  }
  EXPECT_FALSE(threaded[3].initial_point_feasible);  // the job meant to exercise the feasibility phase does
  EXPECT_GE(threaded[3].feasibility_iterations, 1);
  // Lockstep: every call holds one cone shape and one settings, and the first round (all 5 designs)
  // is as few calls as that allows: its calls have pairwise different (cones, settings). Every step
  // of every design went through some call.
  EXPECT_FALSE(lockstep.mixed_cones);
  std::size_t first_round = 0, calls = 0;
  while (first_round < jobs.size() && calls < lockstep.call_sizes.size()) first_round += lockstep.call_sizes[calls++];
  ASSERT_EQ(first_round, jobs.size());
  for (std::size_t a = 0; a < calls; ++a)
    for (std::size_t b = a + 1; b < calls; ++b)
      EXPECT_FALSE(lockstep.call_cones[a] == lockstep.call_cones[b] && lockstep.call_settings[a] == lockstep.call_settings[b])
          << "calls " << a << " and " << b << " of the first round could have been one";
  EXPECT_LT(calls, jobs.size());  // jobs 2 and 4 (loose settings, same cone shape) share a call
  std::size_t solved = 0;
  for (std::size_t n : lockstep.call_sizes) solved += n;
  EXPECT_EQ(solved, serial.call_sizes.size());
  EXPECT_LT(lockstep.call_sizes.size(), serial.call_sizes.size());
  EXPECT_TRUE(run_digital_fp_batch({}, *solver).empty());
  EXPECT_TRUE(run_digital_fp_batch({}, lockstep).empty());
}

TEST(DigitalFpBatch, ErrorsNameTheJob) {
  std::vector<FpJob> jobs{{small_instances(1)[0], {}}, {small_instances(1)[0], {}}};
  jobs[1].options.delta = 0;
  const auto solver = conic::make_cpu_solver();
  try {
    run_digital_fp_batch(jobs, *solver);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "jobs[1].delta");
  }
}

class SolveInstancesScheme : public ::testing::TestWithParam<std::string> {};

// Every result of a batch is the result of the instance solved alone (timing and batch_size aside).
TEST_P(SolveInstancesScheme, EachInstanceGetsItsResultAlone) {
  std::vector<Instance> instances = small_instances(3, 1);
  instances[1].N_RF = 4;  // hybrid schemes: two RF-chain groups in one batch
  instances[0].Gamma_e_dB = 20;  // a loose AE cap and sensing threshold: comm_only_strict designs it,
  instances[0].Gamma_s_dB = -40;  // the other two are certified infeasible
  SolveOptions options;
  options.scheme = GetParam();
  options.solver = conic::make_cpu_solver();
  options.include_design = true;
  const std::vector<nlohmann::json> batch = solve_instances(instances, options);
  ASSERT_EQ(batch.size(), instances.size());
  for (std::size_t i = 0; i < instances.size(); ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    nlohmann::json a = batch[i];
    nlohmann::json b = solve_instance(instances[i], options);
    EXPECT_EQ(a["batch_size"], instances.size());
    for (const char* key : {"solve_seconds", "batch_size"}) {
      a.erase(key);
      b.erase(key);
    }
    EXPECT_EQ(a["status"], b["status"]);
    EXPECT_EQ(a["sum_rate"], b["sum_rate"]);
    EXPECT_TRUE(a == b) << "batch: " << a.dump() << "\nalone: " << b.dump();  // every field, the design included
    if (GetParam() == "comm_only_strict") {
      EXPECT_EQ(a["status"], i == 0 ? "optimal" : "infeasible");
    }
  }
}

// The lockstep rounds (the path of the GPU and CVXOPT backends) give every instance the result of the
// threaded path, and hand the solver batches whose problems share one cone shape and, but for
// comm_only_carrier, one sparsity pattern of A: one device batch per call.
TEST_P(SolveInstancesScheme, LockstepRoundsMatchTheThreadedPathAndShareStructure) {
  std::vector<Instance> instances = small_instances(3, 1);
  instances[1].N_RF = 4;
  auto lockstep = std::make_shared<LockstepSolver>();
  SolveOptions options;
  options.scheme = GetParam();
  options.solver = lockstep;
  const std::vector<nlohmann::json> batch = solve_instances(instances, options);
  ASSERT_EQ(batch.size(), instances.size());
  options.solver = conic::make_cpu_solver();
  const std::vector<nlohmann::json> threaded = solve_instances(instances, options);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    nlohmann::json a = batch[i], b = threaded[i];
    a.erase("solve_seconds");
    b.erase("solve_seconds");
    EXPECT_TRUE(a == b) << "instance " << i << "\nlockstep: " << a.dump() << "\nthreaded: " << b.dump();
  }
  ASSERT_FALSE(lockstep->call_sizes.empty());
  EXPECT_FALSE(lockstep->mixed_cones);
  // comm_only_carrier's designs put the sensing carrier on different streams: same cones, other patterns,
  // which the GPU runs as one device batch per pattern (cuda/gpu_batch_solver.cpp)
  EXPECT_EQ(lockstep->mixed_patterns, GetParam() == "comm_only_carrier");
  std::size_t largest = 0;
  for (std::size_t n : lockstep->call_sizes) largest = std::max(largest, n);
  EXPECT_GT(largest, 1u) << "no call batched two designs";
}

INSTANTIATE_TEST_SUITE_P(EveryScheme, SolveInstancesScheme,
                         ::testing::Values("digital", "comm_only", "comm_only_strict", "comm_only_carrier",
                                           "an_upper_bound", "decomposed_had", "had"));

TEST(SolveInstances, ErrorsNameTheInstanceAndAnEmptyBatchIsEmpty) {
  std::vector<Instance> instances = small_instances(2);
  instances[1].N_RF = 0;
  SolveOptions options;
  options.scheme = "decomposed_had";
  options.solver = conic::make_cpu_solver();
  try {
    solve_instances(instances, options);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "instances[1].N_RF");
  }
  EXPECT_TRUE(solve_instances({}, options).empty());
}
