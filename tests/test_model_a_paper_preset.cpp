// The paper preset (snr_offset_dB = 30, 60 dB SNRs) on the CPU ADMM backend at its default tolerance.
// Before the congruences Y_j = D_j Z_j D_j (scaled_model.cpp) the feasibility phase itself failed here
// ("optimal point violates the constraints"): (27)/(28) confined h_ce^H Y h_ce to ~1e-6 of Tr(Y).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>

#include "host/common/units.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_a/sca.hpp"

using namespace isacbf;
using namespace isacbf::model_a;

namespace {

Instance preset_instance(std::uint64_t seed, double gamma_s_dB, double gamma_se_dB) {
  Scenario s;
  s.snr_offset_dB = 30.0;
  s.gamma_s_dB = gamma_s_dB;
  s.gamma_se_dB = gamma_se_dB;
  return generate(s, seed);
}

// (27)-(29) re-evaluated by the metric code, relative to their right-hand sides.
void expect_constraints_hold(const Instance& inst, const Design& design) {
  const Metrics m = evaluate(inst, design);
  const double gs = db_to_linear(inst.gamma_s_dB), gse = db_to_linear(inst.gamma_se_dB);
  EXPECT_GE(m.scnr_b, gs * (1.0 - 1e-3));
  for (double scnr : m.scnr_u) EXPECT_LE(scnr, gse * (1.0 + 1e-3));
  EXPECT_LE(m.power_W, power_budget_W(inst) * (1.0 + 1e-3));
}

}  // namespace

TEST(PaperPreset, FeasibilityPhaseSolvedByAdmm) {
  std::vector<Instance> inst;
  for (std::uint64_t seed : {1u, 2u, 3u}) inst.push_back(preset_instance(seed, 24.0, 5.0));
  ScaOptions o;
  o.feasibility_only = true;
  auto solver = conic::make_cpu_solver();
  const auto out = run_sca(inst, o, *solver);
  for (std::size_t i = 0; i < inst.size(); ++i) {
    SCOPED_TRACE("seed " + std::to_string(i + 1));
    EXPECT_EQ(out[i].status, "optimal") << out[i].message;
    ASSERT_TRUE(out[i].has_design);
    expect_constraints_hold(inst[i], out[i].start);
  }
}

TEST(PaperPreset, SensingSecurityLimitIsSharpOnAdmm) {
  for (double gse : {2.0, 5.0}) {
    Instance base = preset_instance(4, 24.0, gse);
    const double limit = sensing_security_limit_dB(base);
    Instance above = base, below = base;
    above.gamma_s_dB = limit + 0.2;
    below.gamma_s_dB = limit - 0.2;
    ScaOptions o;
    o.feasibility_only = true;
    auto solver = conic::make_cpu_solver();
    const auto out = run_sca({above, below}, o, *solver);
    EXPECT_EQ(out[0].status, "infeasible") << out[0].message;
    EXPECT_EQ(out[1].status, "optimal") << out[1].message;
    if (out[1].has_design) expect_constraints_hold(below, out[1].start);
  }
}

// The whole SCA on the ADMM: optimal, every constraint holds on re-evaluation, and the secrecy rate
// agrees with our builder on CVXOPT (interior point, no rescaling) to 1e-3 relative.
TEST(PaperPreset, ScaOnAdmmMatchesCvxopt) {
  const std::vector<Instance> inst = {preset_instance(1, 24.0, 5.0), preset_instance(2, 24.0, 5.0)};
  auto solver = conic::make_cpu_solver();
  const auto out = run_sca(inst, ScaOptions{}, *solver);
  for (std::size_t i = 0; i < inst.size(); ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    EXPECT_EQ(out[i].status, "optimal") << out[i].message;
    ASSERT_TRUE(out[i].has_design);
    expect_constraints_hold(inst[i], out[i].design);
  }
  if (std::system("/usr/bin/python3 -c 'import cvxopt, numpy' >/dev/null 2>&1") != 0) GTEST_SKIP() << "cvxopt absent";
  ScaOptions o;
  o.primal_start = true;
  o.target_rescaling = false;
  auto cvx = std::make_unique<crosscheck::CvxoptSolver>(crosscheck::CvxoptOptions::ill_conditioned());
  const auto ref = run_sca(inst, o, *cvx);
  for (std::size_t i = 0; i < inst.size(); ++i) {
    ASSERT_TRUE(ref[i].has_design) << ref[i].message;
    const double a = evaluate(inst[i], out[i].design).secrecy_rate, b = evaluate(inst[i], ref[i].design).secrecy_rate;
    EXPECT_NEAR(a, b, 1e-3 * b) << "instance " << i;
  }
}

// A short SCA: every accepted design satisfies (27)-(29) and improves on the start.
TEST(PaperPreset, ScaDesignsSatisfyConstraints) {
  const Instance inst = preset_instance(2, 24.0, 5.0);
  ScaOptions o;
  o.max_iterations = 2;
  auto solver = conic::make_cpu_solver();
  const auto out = run_sca({inst}, o, *solver);
  ASSERT_TRUE(out[0].has_design) << out[0].status << " " << out[0].message;
  EXPECT_NE(out[0].status, "numerical_error") << out[0].message;
  expect_constraints_hold(inst, out[0].design);
  ASSERT_GE(out[0].secrecy_rate_trace.size(), 2u);
  EXPECT_GT(out[0].secrecy_rate_trace.back(), out[0].secrecy_rate_trace.front());
}
