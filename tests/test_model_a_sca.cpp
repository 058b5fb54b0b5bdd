// Algorithm 1 end to end on the CPU conic backend: monotone objective, constraints re-checked with the
// metric code, the analytic sensing-security feasibility limit, reduced vs full form, rescaling.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_a/p4_builder.hpp"
#include "host/model_a/sca.hpp"
#include "host/model_a/scaled_model.hpp"
#include "lockstep_solver.hpp"

using namespace isacbf;
using namespace isacbf::model_a;

namespace {

// The physically consistent default scenario (snr_offset_dB = 0: gamma_s = 0 dB, gamma_se = 2 dB).
// (The paper preset snr_offset_dB = 30 spans 60 dB SNRs; see docs/model-a.md for what that does to
// first-order and interior-point solvers.)
Scenario paper_scenario(int Nt = 8) {
  Scenario s;
  s.Nt = Nt;
  return s;
}

std::vector<Instance> instances(int n, const Scenario& s, std::uint64_t seed0 = 10) {
  std::vector<Instance> v;
  for (int i = 0; i < n; ++i) v.push_back(generate(s, seed0 + static_cast<std::uint64_t>(i)));
  return v;
}

ScaOptions options(ScaUpdate update = ScaUpdate::tight) {
  ScaOptions o;
  o.update = update;
  o.max_iterations = 40;
  o.solver.eps_abs = o.solver.eps_rel = 1e-7;  // tests use tighter solver tolerances (solver.md)
  return o;
}

bool has_design(const ScaOutcome& o) { return o.has_design && o.status != "infeasible"; }

}  // namespace

TEST(Sca, ObjectiveIsNonDecreasingAndEveryConstraintHolds) {
  const auto inst = instances(3, paper_scenario());
  auto solver = conic::make_cpu_solver();
  for (ScaUpdate update : {ScaUpdate::tight, ScaUpdate::paper}) {
    const auto out = run_sca(inst, options(update), *solver);
    for (std::size_t i = 0; i < inst.size(); ++i) {
      SCOPED_TRACE("instance " + std::to_string(i) + " update " + to_string(update));
      ASSERT_TRUE(has_design(out[i])) << out[i].status << " " << out[i].message;
      EXPECT_NE(out[i].status, "numerical_error") << out[i].message;
      const auto& f = out[i].objective_trace;
      ASSERT_GE(f.size(), 2u);
      for (std::size_t n = 1; n < f.size(); ++n) EXPECT_GE(f[n], f[n - 1] - 1e-4 * std::abs(f[n - 1])) << "iteration " << n;
      // re-evaluated with the metric code, within the solver's tolerance scale
      const Metrics m = evaluate(inst[i], out[i].design);
      const double gs = db_to_linear(inst[i].gamma_s_dB), gse = db_to_linear(inst[i].gamma_se_dB);
      EXPECT_GE(m.scnr_b, gs * (1.0 - 1e-3));
      for (double s : m.scnr_u) EXPECT_LE(s, gse * (1.0 + 1e-3));
      EXPECT_LE(m.power_W, dbm_to_watt(inst[i].P_dBm) * (1.0 + 1e-4));
      EXPECT_GT(m.secrecy_rate, 0.0);
      // the SCA's own SR trace ends at the metric code's value
      EXPECT_NEAR(out[i].secrecy_rate_trace.back(), m.secrecy_rate, 1e-6 * (1.0 + m.secrecy_rate));
    }
  }
}

// gamma_s above gamma_se ||h_ce||^2 sigma_u^2 / (max_k |h_e,k|^2 sigma_b^2) cannot be met whatever the
// power (model-a.md); 0.2 dB above must be certified infeasible, 0.2 dB below solved.
TEST(Sca, AnalyticSensingSecurityLimitIsSharp) {
  Scenario s = paper_scenario();
  s.P_dBm = 48.0;  // enough power (max SCNR_b ~ 8 dB + 30 dB): the limit, not the budget, binds
  Instance base = generate(s, 3);
  double max_e2 = 0.0;
  for (int k = 0; k < base.K; ++k) max_e2 = std::max(max_e2, std::norm(base.h_e(k)));
  const double limit_dB = base.gamma_se_dB + linear_to_db(base.h_ce.squaredNorm() * dbm_to_watt(base.sigma_u_dBm) /
                                                           (max_e2 * dbm_to_watt(base.sigma_b_dBm)));
  Instance above = base, below = base;
  above.gamma_s_dB = limit_dB + 0.2;
  below.gamma_s_dB = limit_dB - 0.2;
  auto solver = conic::make_cpu_solver();
  const auto out = run_sca({above, below}, options(), *solver);
  EXPECT_EQ(out[0].status, "infeasible") << out[0].message;
  EXPECT_TRUE(has_design(out[1])) << out[1].status << " " << out[1].message;
  EXPECT_NE(out[1].status, "numerical_error") << out[1].message;
}

// One P4 from the same start and expansion point: the exact subspace reduction loses nothing.
TEST(Sca, ReducedAndFullFormP4AgreeToSolverTolerance) {
  const Instance inst = generate(paper_scenario(6), 21);
  auto solver = conic::make_cpu_solver();
  ScaOptions o = options();
  o.max_iterations = 1;
  const auto start = run_sca({inst}, o, *solver);
  ASSERT_TRUE(has_design(start[0]));
  const Design d0 = start[0].start;
  double value[2];
  for (Form form : {Form::reduced, Form::full}) {
    const ScaledModel m = make_scaled_model(inst, {form, true, std::nullopt});
    const Blocks y = to_blocks(m, d0);
    const Expansion at = tight_expansion(m, y);
    auto sol = solver->solve({build_p4(m, at)}, o.solver);
    ASSERT_EQ(sol[0].status, conic::Status::optimal);
    value[form == Form::full] = p4_objective(m, at, sol[0].x);
  }
  EXPECT_NEAR(value[0], value[1], 1e-4 * std::abs(value[1]));
}

TEST(Sca, InvariantUnderRescalingAllPowersAndNoises) {
  Instance a = generate(paper_scenario(), 5);
  Instance b = a;
  for (double* v : {&b.P_dBm, &b.sigma_u_dBm, &b.sigma_t_dBm, &b.sigma_b_dBm}) *v += 23.0;
  auto solver = conic::make_cpu_solver();
  const auto out = run_sca({a, b}, options(), *solver);
  ASSERT_TRUE(has_design(out[0]) && has_design(out[1]));
  const double sa = evaluate(a, out[0].design).secrecy_rate, sb = evaluate(b, out[1].design).secrecy_rate;
  EXPECT_NEAR(sa, sb, 1e-6 * (1.0 + sa));
  EXPECT_EQ(out[0].iterations, out[1].iterations);
}

TEST(Sca, BaselinesRunAndNoSecurityMayViolateWhatProposedKeeps) {
  const auto inst = instances(2, paper_scenario(), 40);
  auto solver = conic::make_cpu_solver();
  ScaOptions o = options();
  o.scheme = Scheme::s_random;
  const auto sr = run_sca(inst, o, *solver);
  int designs = 0;
  for (std::size_t i = 0; i < inst.size(); ++i) {
    EXPECT_GE(sr[i].s_random_draws, 1);
    if (!has_design(sr[i])) continue;
    ++designs;
    // a random S that is only barely feasible can leave P4 numerically infeasible (reported as
    // numerical_error with the last design kept); whatever is returned must satisfy the constraints
    const Metrics m = evaluate(inst[i], sr[i].design);
    EXPECT_GE(m.scnr_b, db_to_linear(inst[i].gamma_s_dB) * (1.0 - 1e-3));
    EXPECT_LE(m.power_W, dbm_to_watt(inst[i].P_dBm) * (1.0 + 1e-4));
  }
  EXPECT_GE(designs, 1);
  o.scheme = Scheme::no_sensing_security;
  const auto ns = run_sca(inst, o, *solver);
  for (std::size_t i = 0; i < inst.size(); ++i) {
    ASSERT_TRUE(has_design(ns[i])) << ns[i].message;
    const Metrics m = evaluate(inst[i], ns[i].design);
    EXPECT_GE(m.scnr_b, db_to_linear(inst[i].gamma_s_dB) * (1.0 - 1e-3));
  }
}

// The CPU reference runs each instance on its own thread; a batching backend (here the recording
// LockstepSolver) runs lockstep rounds. Every instance gets the same outcome either way, field by field,
// with S Random's draws keyed by the batch index (the instances carry no seed).
TEST(Sca, ThreadedInstancesMatchLockstepRounds) {
  std::vector<Instance> batch = instances(3, paper_scenario());
  Scenario two_users = paper_scenario();
  two_users.K = 2;
  batch.push_back(generate(two_users, 77));  // another K: another cone shape in the rounds
  for (Instance& inst : batch) inst.seed.reset();
  auto solver = conic::make_cpu_solver();
  ASSERT_TRUE(solver->concurrent_single_calls());
  for (Scheme scheme : {Scheme::proposed, Scheme::s_random}) {
    SCOPED_TRACE(to_string(scheme));
    ScaOptions o = options();
    o.scheme = scheme;
    o.max_iterations = 8;
    isacbf::testing::LockstepSolver lockstep;
    const auto threaded = run_sca(batch, o, *solver);
    const auto rounds = run_sca(batch, o, lockstep);
    EXPECT_FALSE(lockstep.mixed_cones);
    ASSERT_EQ(lockstep.call_sizes.size() >= 2 ? lockstep.call_sizes[0] + lockstep.call_sizes[1] : 0, batch.size());
    ASSERT_EQ(threaded.size(), batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      SCOPED_TRACE("instance " + std::to_string(i));
      const ScaOutcome &a = threaded[i], &b = rounds[i];
      EXPECT_EQ(a.status, b.status) << a.message;
      EXPECT_EQ(a.message, b.message);
      EXPECT_EQ(a.iterations, b.iterations);
      EXPECT_EQ(a.conic_solves, b.conic_solves);
      EXPECT_EQ(a.inaccurate_solves, b.inaccurate_solves);
      EXPECT_EQ(a.s_random_draws, b.s_random_draws);
      EXPECT_EQ(a.objective_trace, b.objective_trace);
      EXPECT_EQ(a.secrecy_rate_trace, b.secrecy_rate_trace);
      ASSERT_EQ(a.has_design, b.has_design);
      if (!a.has_design) continue;
      ASSERT_EQ(a.design.Q.size(), b.design.Q.size());
      for (std::size_t k = 0; k < a.design.Q.size(); ++k) EXPECT_EQ((a.design.Q[k] - b.design.Q[k]).norm(), 0.0);
      EXPECT_EQ((a.design.S - b.design.S).norm(), 0.0);
    }
    if (scheme == Scheme::s_random) {  // the draws differ between instances (keyed by index, not all by 0)
      ASSERT_TRUE(rounds[1].has_design && rounds[2].has_design);  // (instance 0's draws are infeasible)
      ASSERT_EQ(rounds[1].start.S.rows(), rounds[2].start.S.rows());
      EXPECT_NE((rounds[1].start.S - rounds[2].start.S).norm(), 0.0);
    }
  }
}

namespace {
// Forwards to the CPU reference but reports the first call (the feasibility phase) as stopped at the
// iteration cap, with its point unchanged or, with `zero_point`, replaced by zeros (no sensing power:
// (28) fails).
class CappedFeasibilitySolver final : public conic::BatchSolver {
 public:
  explicit CappedFeasibilitySolver(bool zero_point) : zero_point_(zero_point) {}
  conic::Backend backend() const override { return conic::Backend::cpu; }
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm = {}) override {
    auto sol = cpu_->solve(batch, settings, warm);
    if (calls_++ == 0) {
      for (auto& s : sol) {
        s.status = conic::Status::max_iterations;
        if (zero_point_) s.x.setZero();
      }
    }
    return sol;
  }

 private:
  bool zero_point_;
  int calls_ = 0;
  std::unique_ptr<conic::BatchSolver> cpu_ = conic::make_cpu_solver();
};
}  // namespace

// Any point that meets (27)-(29) is a valid SCA start, so a feasibility solve stopped at its cap is used
// when its point passes the re-check (the same run as with an optimal stop) and rejected otherwise.
TEST(Sca, FeasibilitySolveAtTheCapStartsTheScaWhenItsPointPassesTheRecheck) {
  const auto batch = instances(2, paper_scenario());
  ScaOptions o = options();
  o.max_iterations = 6;
  isacbf::testing::LockstepSolver plain;
  CappedFeasibilitySolver capped(false), zeroed(true);
  const auto want = run_sca(batch, o, plain);
  const auto got = run_sca(batch, o, capped);
  const auto bad = run_sca(batch, o, zeroed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    ASSERT_TRUE(has_design(want[i])) << want[i].message;
    EXPECT_EQ(got[i].status, want[i].status) << got[i].message;
    EXPECT_EQ(got[i].inaccurate_solves, 0);
    EXPECT_EQ(got[i].secrecy_rate_trace, want[i].secrecy_rate_trace);
    EXPECT_EQ(bad[i].status, "max_iterations");
    EXPECT_FALSE(bad[i].has_design);
    EXPECT_NE(bad[i].message.find("feasibility phase"), std::string::npos) << bad[i].message;
  }
}

// The feasibility phase takes Anderson steps (feasibility_anderson_memory), every P4 keeps the solver's
// memory (0 by default), and the SCA reaches the same secrecy rate either way.
TEST(Sca, AndersonRunsInTheFeasibilityPhaseOnly) {
  const auto batch = instances(2, paper_scenario());
  ScaOptions o = options();
  ASSERT_EQ(o.solver.anderson_memory, 0);
  ASSERT_GT(o.feasibility_anderson_memory, 0);
  isacbf::testing::LockstepSolver with, without;  // records each call's settings and extrapolations
  const auto got = run_sca(batch, o, with);
  o.feasibility_anderson_memory = 0;
  const auto want = run_sca(batch, o, without);
  ASSERT_GE(with.call_settings.size(), 2u);
  EXPECT_EQ(with.call_settings.front().anderson_memory, ScaOptions{}.feasibility_anderson_memory);
  EXPECT_GT(with.call_anderson_accepted.front(), 0) << "the feasibility solves took no Anderson step";
  for (std::size_t c = 1; c < with.call_settings.size(); ++c) {
    EXPECT_EQ(with.call_settings[c].anderson_memory, 0) << "call " << c;
    EXPECT_EQ(with.call_anderson_accepted[c], 0) << "call " << c;
  }
  for (const auto& st : without.call_settings) EXPECT_EQ(st.anderson_memory, 0);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    ASSERT_TRUE(has_design(want[i]) && has_design(got[i])) << want[i].message << " / " << got[i].message;
    const double sr = want[i].secrecy_rate_trace.back();
    EXPECT_NEAR(got[i].secrecy_rate_trace.back(), sr, 1e-4 * std::abs(sr));  // the SCA's delta is 1e-3
  }
}

TEST(Sca, RejectsBadOptionsNamingThem) {
  auto solver = conic::make_cpu_solver();
  const auto rejected_field = [&](const ScaOptions& o) -> std::string {
    try {
      run_sca({}, o, *solver);
    } catch (const InputError& e) {
      return e.field();
    }
    return "(accepted)";
  };
  ScaOptions o;
  o.delta = -1.0;
  EXPECT_EQ(rejected_field(o), "delta");
  o.delta = 1e-3;
  o.feasibility_anderson_memory = -1;
  EXPECT_EQ(rejected_field(o), "feasibility_anderson_memory");
  EXPECT_THROW(parse_scheme("bogus"), InputError);
  EXPECT_THROW(parse_sca_update("loose"), InputError);
}
