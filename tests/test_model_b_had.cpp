// Model B HAD design: the digital step's cone margins at a known point, and an end-to-end HAD design
// on a small instance that must return a feasible design (design CSI) with unit-modulus F.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/had_design.hpp"
#include "host/model_b/had_step.hpp"
#include "host/model_b/solve.hpp"
#include "model_b_test_scenarios.hpp"
#include "tests/soc_margins.hpp"

using namespace isacbf;
using namespace isacbf::model_b;

namespace {

Eigen::MatrixXcd random_complex(int r, int c, std::mt19937_64& rng) {
  std::normal_distribution<double> n;
  Eigen::MatrixXcd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = {n(rng), n(rng)};
  return m;
}

using isacbf::testing::soc_margins;

std::string field_of_had_bad_nrf(const Instance& inst, conic::BatchSolver& solver) {
  HadOptions o;
  o.n_rf = inst.Nt + 1;
  try {
    run_had(inst, solver, o);
  } catch (const InputError& e) {
    return e.field();
  }
  return "<no error>";
}

}  // namespace

TEST(ModelBHadStep, ConeMarginsEqualTheConstraintsAtAKnownPoint) {
  std::mt19937_64 rng(31);
  const int Nt = 6, N = 3, K = 2, Ns = 1, J = 1, C = 1;
  HadStepData d;
  d.K = K;
  d.Ns = Ns;
  d.F = random_complex(Nt, N, rng);
  d.F = d.F.cwiseQuotient(d.F.cwiseAbs().cast<std::complex<double>>());
  for (int k = 0; k < K; ++k) d.h.push_back(random_complex(Nt, 1, rng).col(0));
  for (int j = 0; j < J; ++j) d.g.push_back(random_complex(Nt, 1, rng).col(0));
  for (int i = 0; i < J + C; ++i) d.a.push_back(random_complex(Nt, 1, rng).col(0));
  d.coef = Eigen::MatrixXd::Constant(J, J + C, 0.7);
  d.Gamma_e = 2.0;
  d.Gamma_s = 3.0;
  d.B0 = random_complex(N, K + Ns, rng) * 0.1;
  update_auxiliaries(d, d.B0);
  const conic::ConicProblem p = build_had_step(d);
  const Eigen::MatrixXcd B = random_complex(N, K + Ns, rng) * 0.1;
  const Eigen::VectorXd x = encode_had_step(d, B, 5.0);
  EXPECT_LT((decode_had_step(d, x) - B).norm(), 1e-14);
  const std::vector<double> m = soc_margins(p, x);
  ASSERT_EQ(m.size(), static_cast<std::size_t>(2 + J * K + J));
  const Eigen::MatrixXcd FB = d.F * B;
  // Power: 4 (1 - ||F B||^2).
  EXPECT_NEAR(m[1], 4 * (1 - FB.squaredNorm()), 1e-10);
  // (15a) j = 0, k = 0: 4 (1 + Taylor(|g^H F s|^2) - |g^H F b_0|^2 / Gamma_e).
  const std::complex<double> s0 = d.g[0].dot(d.F * d.B0.col(K)), s1 = d.g[0].dot(FB.col(K));
  const double taylor = 2 * (std::conj(s0) * s1).real() - std::norm(s0);
  EXPECT_NEAR(m[2], 4 * (1 + taylor - std::norm(d.g[0].dot(FB.col(0))) / d.Gamma_e), 1e-9);
  // At the Taylor point the bound is tight: the (15a) margin equals the exact constraint.
  const Eigen::VectorXd x0 = encode_had_step(d, d.B0, 5.0);
  const Eigen::MatrixXcd FB0 = d.F * d.B0;
  EXPECT_NEAR(soc_margins(p, x0)[3], 4 * (1 + std::norm(d.g[0].dot(FB0.col(K))) - std::norm(d.g[0].dot(FB0.col(1))) / d.Gamma_e), 1e-10);
}

TEST(ModelBHad, SmallInstanceFeasibleDesignWithUnitModulusF) {
  if (!crosscheck::cvxopt_available()) GTEST_SKIP() << "python3-cvxopt not available";
  const Instance inst = generate(fixtures::small_scenario(1), 1);
  crosscheck::CvxoptSolver solver;
  HadOptions o;
  o.n_rf = 6;
  o.max_iterations = 6;
  const HadResult r = run_had(inst, solver, o);
  ASSERT_TRUE(r.feasible) << r.message;
  EXPECT_LE(worst_constraint_ratio(inst, r.W, r.S * r.S.adjoint()), 1 + 1e-5);
  EXPECT_LT((r.F.cwiseAbs().array() - 1.0).abs().maxCoeff(), 1e-12);
  EXPECT_EQ(r.F.cols(), 6);
  // W lies in the range of F (W = F W_BB).
  const Eigen::MatrixXcd W_BB = r.F.completeOrthogonalDecomposition().solve(r.W);
  EXPECT_LT((r.F * W_BB - r.W).norm(), 1e-8 * r.W.norm());
  EXPECT_EQ(field_of_had_bad_nrf(inst, solver), "N_RF");
}

// The ADMM path with the HAD's default settings (had_conic_settings: the FP steps' eps 1e-6, fixed
// data-based scale, b and c normalised), as `solve-b --solver admm` and the fallback without CVXOPT run
// it: every HAD digital step must solve (run_had keeps going past a step that stops at the iteration cap
// or breaks down, and says so in its message) and the design must be feasible. The default scenario's
// seed 4 is the instance whose first step once hit the cap; at Nt 256 every step hit it with the solver's
// adaptive scale.
TEST(ModelBHad, AdmmDesignsAreOptimalAndFeasible) {
  const auto solver = conic::make_cpu_solver();
  Scenario large;
  large.Nt = large.Nr = 256;
  large.N_RF = 16;
  for (const Instance& inst : {generate(fixtures::small_scenario(1), 1), generate(Scenario{}, 4), generate(large, 3)}) {
    SCOPED_TRACE("Nt " + std::to_string(inst.Nt) + " seed " + std::to_string(inst.seed.value_or(0)));
    HadOptions o;
    o.n_rf = inst.N_RF;
    const HadResult r = run_had(inst, *solver, o);
    EXPECT_EQ(r.status, "optimal") << r.message;
    EXPECT_EQ(r.message.find("max_iterations"), std::string::npos) << r.message;
    EXPECT_EQ(r.message.find("numerical_error"), std::string::npos) << r.message;
    ASSERT_TRUE(r.feasible) << r.message;
    EXPECT_LE(worst_constraint_ratio(inst, r.W, r.S * r.S.adjoint()), 1 + 1e-5);
    EXPECT_LT((r.F.cwiseAbs().array() - 1.0).abs().maxCoeff(), 1e-12);
    EXPECT_GT(r.objective_trace.back(), r.objective_trace.front()) << "the alternation must raise the sum rate";
  }
}
