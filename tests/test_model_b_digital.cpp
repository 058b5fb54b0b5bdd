// Model B fully digital design (Algorithm 1) and its building blocks: the conic step evaluated at known
// points (every cone margin equals its constraint), FP tightness, monotone sum rate and feasibility of
// every returned design, purification, Theorem 1 bounds, comm-only certificate, bad inputs.
// Solver-dependent tests use the CVXOPT bridge (Debian python3-cvxopt) and skip without it.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/model_b/comm_only.hpp"
#include "host/model_b/cone_rows.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/digital_step.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/rank_reduction.hpp"
#include "host/model_b/reduction.hpp"
#include "host/model_b/solve.hpp"
#include "model_b_test_scenarios.hpp"
#include "tests/input_error_field.hpp"
#include "tests/soc_margins.hpp"

using namespace isacbf;
using namespace isacbf::model_b;

namespace {

Scenario small_scenario() { return fixtures::small_scenario(2); }

std::shared_ptr<conic::BatchSolver> cvxopt_or_skip() {
  static const bool ok = crosscheck::cvxopt_available();
  return ok ? std::make_shared<crosscheck::CvxoptSolver>() : nullptr;
}

Eigen::MatrixXcd random_complex(int r, int c, std::mt19937_64& rng) {
  std::normal_distribution<double> n;
  Eigen::MatrixXcd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = {n(rng), n(rng)};
  return m;
}

using isacbf::testing::field_of;

using isacbf::testing::soc_margins;

DigitalStepData random_step_data(int d, int K, int J, int C, std::mt19937_64& rng) {
  DigitalStepData data;
  data.d = d;
  data.K = K;
  for (int k = 0; k < K; ++k) data.h.push_back(random_complex(d, 1, rng).col(0) * 3.0);
  for (int j = 0; j < J; ++j) data.g.push_back(random_complex(d, 1, rng).col(0) * 2.0);
  for (int i = 0; i < J + C; ++i) data.a.push_back(random_complex(d, 1, rng).col(0));
  data.coef = Eigen::MatrixXd::Random(J, J + C).cwiseAbs() + Eigen::MatrixXd::Constant(J, J + C, 0.1);
  data.Gamma_e = 1.3;
  data.Gamma_s = 4.0;
  data.V0 = random_complex(d, K, rng) * 0.3;
  update_auxiliaries(data, data.V0, Eigen::MatrixXcd::Zero(d, d));
  return data;
}

}  // namespace

TEST(ModelBDigitalStep, ConeMarginsEqualTheConstraintsAtAKnownPoint) {
  std::mt19937_64 rng(21);
  const int d = 5, K = 2, J = 2, C = 1;
  const DigitalStepData data = random_step_data(d, K, J, C, rng);
  const conic::ConicProblem p = build_digital_step(data);
  ASSERT_EQ(p.cones.psd_complex, std::vector<int>{d});
  ASSERT_EQ(p.cones.soc.size(), static_cast<std::size_t>(2 + J * K + J));  // objective, power, (15a), (15b)

  DigitalStepPoint pt;
  pt.V = random_complex(d, K, rng) * 0.2;
  const Eigen::MatrixXcd Z = random_complex(d, d, rng) * 0.1;
  pt.X = Z * Z.adjoint();
  pt.t = 7.0;
  const Eigen::VectorXd x = encode_digital_step(data, pt);
  const DigitalStepPoint back = decode_digital_step(data, x);
  EXPECT_LT((back.V - pt.V).norm() + (back.X - pt.X).norm(), 1e-12);

  // PSD rows hold hvec(X) itself.
  const Eigen::VectorXd s = p.b - p.A * x;
  EXPECT_LT((unhvec(s.tail(d * d), d) - pt.X).norm(), 1e-12);

  const std::vector<double> m = soc_margins(p, x);
  std::size_t c = 0;
  // Objective cone: 4 (t - ||e||^2); c^T x = t + sum |y|^2 h^H X h.
  double e2 = 0.0, obj_extra = 0.0;
  for (int k = 0; k < K; ++k) {
    const auto y = data.y[k];
    const Eigen::RowVectorXcd gains = data.h[k].adjoint() * pt.V;
    for (int i = 0; i < K; ++i) e2 += std::norm(std::conj(y) * gains(i) - (i == k ? std::sqrt(1 + data.rho[k]) : 0.0));
    obj_extra += std::norm(y) * (data.h[k].adjoint() * pt.X * data.h[k])(0).real();
  }
  EXPECT_NEAR(m[c++], 4 * (pt.t - e2), 1e-9 * std::max(1.0, pt.t));
  EXPECT_NEAR(p.c.dot(x), pt.t + obj_extra, 1e-10 * (pt.t + obj_extra));
  // Power: 4 (1 - tr X - ||V||^2).
  EXPECT_NEAR(m[c++], 4 * (1 - pt.X.trace().real() - pt.V.squaredNorm()), 1e-10);
  // (15a): 4 (g^H X g + 1 - |g^H v_k|^2 / Gamma_e).
  for (int j = 0; j < J; ++j)
    for (int k = 0; k < K; ++k) {
      const double expected = 4 * ((data.g[j].adjoint() * pt.X * data.g[j])(0).real() + 1 - std::norm(data.g[j].dot(pt.V.col(k))) / data.Gamma_e);
      EXPECT_NEAR(m[c++], expected, 1e-9 * std::max(1.0, std::abs(expected)));
    }
  // (15b): 4 (r - sum_{i != j} coef ||V^H a_i||^2) with the Taylor-restricted r.
  for (int j = 0; j < J; ++j) {
    const double quad = [&] {
      double q = 0.0;
      for (int i = 0; i < J + C; ++i)
        if (i != j) q += data.coef(j, i) * (pt.V.adjoint() * data.a[i]).squaredNorm();
      return q;
    }();
    double taylor = -(data.V0.adjoint() * data.a[j]).squaredNorm();
    for (int k = 0; k < K; ++k) taylor += 2 * (std::conj(data.a[j].dot(data.V0.col(k))) * data.a[j].dot(pt.V.col(k))).real();
    double r = data.coef(j, j) / data.Gamma_s * (taylor + (data.a[j].adjoint() * pt.X * data.a[j])(0).real()) - 1;
    for (int i = 0; i < J + C; ++i)
      if (i != j) r -= data.coef(j, i) * (data.a[i].adjoint() * pt.X * data.a[i])(0).real();
    EXPECT_NEAR(m[c++], 4 * (r - quad), 1e-9 * std::max(1.0, std::abs(r)));
  }
  EXPECT_EQ(c, m.size());
}

TEST(ModelBDigitalStep, SurrogateIsTightAtTheAuxiliaryPoint) {
  // (24)-(25): with rho, y at (V, X) the FP surrogate equals sum_k ln(1 + gamma_k).
  std::mt19937_64 rng(22);
  DigitalStepData data = random_step_data(4, 3, 1, 1, rng);
  const Eigen::MatrixXcd V = random_complex(4, 3, rng) * 0.4;
  const Eigen::MatrixXcd Z = random_complex(4, 4, rng) * 0.2;
  const Eigen::MatrixXcd X = Z * Z.adjoint();
  update_auxiliaries(data, V, X);
  double sum_log = 0.0;
  for (int k = 0; k < 3; ++k) {
    const Eigen::RowVectorXcd gains = data.h[k].adjoint() * V;
    const double sinr = std::norm(gains(k)) / (gains.squaredNorm() - std::norm(gains(k)) + (data.h[k].adjoint() * X * data.h[k])(0).real() + 1);
    sum_log += std::log1p(sinr);
  }
  EXPECT_NEAR(fp_surrogate(data, V, X), sum_log, 1e-10 * sum_log);
  // ... and lies below it elsewhere (it is a minorant).
  EXPECT_LT(fp_surrogate(data, V * 1.3, X), [&] {
    double s = 0.0;
    for (int k = 0; k < 3; ++k) {
      const Eigen::RowVectorXcd g = data.h[k].adjoint() * (V * 1.3);
      s += std::log1p(std::norm(g(k)) / (g.squaredNorm() - std::norm(g(k)) + (data.h[k].adjoint() * X * data.h[k])(0).real() + 1));
    }
    return s;
  }());
}

TEST(ModelBDigitalStep, ReducedBasisKeepsEveryInnerProduct) {
  const Instance inst = generate(small_scenario(), 3);
  const Eigen::MatrixXcd Q = design_basis(inst);
  EXPECT_LE(Q.cols(), inst.K + 2 * inst.J + static_cast<int>(inst.clutter.size()));
  EXPECT_LT((Q.adjoint() * Q - Eigen::MatrixXcd::Identity(Q.cols(), Q.cols())).norm(), 1e-12);
  for (const auto& v : sensing_functionals(inst)) EXPECT_LT((Q * (Q.adjoint() * v) - v).norm(), 1e-10 * v.norm());
}

TEST(ModelBRankReduction, PurificationKeepsFunctionalsAndLowersRank) {
  std::mt19937_64 rng(23);
  const Eigen::MatrixXcd Z = random_complex(8, 5, rng);
  const Eigen::MatrixXcd R = Z * Z.adjoint();
  std::vector<Eigen::VectorXcd> f;
  for (int i = 0; i < 3; ++i) f.push_back(random_complex(8, 1, rng).col(0));
  const Eigen::MatrixXcd Rp = purify(R, f);
  EXPECT_EQ(numerical_rank(R), 5);
  EXPECT_LE(numerical_rank(Rp) * numerical_rank(Rp), 4);  // 3 functionals + trace
  for (const auto& v : f) {
    const double before = (v.adjoint() * R * v)(0).real(), after = (v.adjoint() * Rp * v)(0).real();
    EXPECT_NEAR(after, before, 1e-9 * before);
  }
  EXPECT_NEAR(Rp.trace().real(), R.trace().real(), 1e-9 * R.trace().real());
  EXPECT_GE(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(Rp).eigenvalues().minCoeff(), -1e-9 * R.trace().real());
}

TEST(ModelBRankReduction, TheoremOneBounds) {
  const SensingBeamBounds b = sensing_beam_bounds(4, 2, 2);
  EXPECT_EQ(b.worst_case, 2);  // floor(sqrt(5))
  EXPECT_EQ(b.dependent, 2);   // floor(sqrt(min(4, 4) + 1))
  EXPECT_EQ(b.per_user, 3);    // floor(sqrt(4 + 4 + 1))
  EXPECT_EQ(b.rf_chains_needed, 12);
  EXPECT_EQ(sensing_beam_bounds(1, 7, 2).worst_case, 3);   // floor(sqrt(15))
  EXPECT_EQ(sensing_beam_bounds(1, 7, 2).dependent, 3);    // floor(sqrt(10))
  EXPECT_EQ(field_of([] { sensing_beam_bounds(0, 1, 1); }), "K");
}

TEST(ModelBDigitalFp, SumRateNonDecreasingAndEveryDesignFeasible) {
  const auto solver = cvxopt_or_skip();
  if (!solver) GTEST_SKIP() << "python3-cvxopt not available";
  for (std::uint64_t seed : {1u, 2u}) {
    const Instance inst = generate(small_scenario(), seed);
    FpOptions o;
    o.delta = 1e-5;  // run longer than the default to exercise monotonicity
    o.max_iterations = 8;
    const FpResult r = run_digital_fp(inst, *solver, o);
    ASSERT_NE(r.status, "infeasible") << r.message;
    ASSERT_NE(r.status, "numerical_error") << r.message;
    ASSERT_TRUE(r.initial_point_feasible);
    for (std::size_t i = 1; i < r.objective_trace.size(); ++i)
      EXPECT_GE(r.objective_trace[i], r.objective_trace[i - 1] - 1e-6 * r.objective_trace[i - 1]) << "seed " << seed << " step " << i;
    EXPECT_GT(r.objective_trace.back(), r.objective_trace.front());
    EXPECT_LE(worst_constraint_ratio(inst, r.W, r.R_s), 1 + 1e-5);

    // The full scheme: purified beams keep every constraint and every metric.
    SolveOptions so;
    so.solver = solver;
    so.include_design = true;
    const auto j = solve_instance(inst, so);
    EXPECT_LE(j["design_constraint_ratio"].get<double>(), 1 + 1e-5);
    EXPECT_LE(j["sensing_beams"].get<int>(), j["sensing_rank_before_reduction"].get<int>());
    const Metrics m = evaluate(inst, design_from_beams(inst, r.W, beams_from_covariance(purify(r.R_s, sensing_functionals(inst)))));
    const Metrics m0 = evaluate(inst, design_from_beams(inst, r.W, beams_from_covariance(r.R_s)));
    EXPECT_NEAR(m.sum_rate, m0.sum_rate, 1e-6 * m0.sum_rate);
    for (int jj = 0; jj < inst.J; ++jj) EXPECT_NEAR(m.scnr[jj], m0.scnr[jj], 1e-6 * m0.scnr[jj]);
    // Perfect angle estimates here: the true-CSI report satisfies the constraints too.
    for (double eve : m.max_eve_sinr) EXPECT_LE(eve, db_to_linear(inst.Gamma_e_dB) * (1 + 1e-5));
    for (double sc : m.scnr) EXPECT_GE(sc, db_to_linear(inst.Gamma_s_dB) * (1 - 1e-5));
    EXPECT_LE(m.power_W, power_budget_W(inst) * (1 + 1e-9));
  }
}

TEST(ModelBDigitalFp, EstimatedAnglesDesignFeasibleOnTheEstimate) {
  const auto solver = cvxopt_or_skip();
  if (!solver) GTEST_SKIP() << "python3-cvxopt not available";
  Scenario s = small_scenario();
  s.angle_error_deg = 1.0;
  const Instance inst = generate(s, 5);
  ASSERT_NE(inst.theta_ae_est_deg[0], inst.theta_ae_deg[0]);
  const FpResult r = run_digital_fp(inst, *solver);
  ASSERT_EQ(r.status, "optimal") << r.message;
  EXPECT_LE(worst_constraint_ratio(inst, r.W, r.R_s), 1 + 1e-5);  // design CSI
  EXPECT_LE(r.basis_dimension, inst.K + 2 * inst.J + static_cast<int>(inst.clutter.size()));
}

TEST(ModelBBaselines, CommOnlyWithAeConstraintsIsCertifiedInfeasible) {
  const auto solver = cvxopt_or_skip();
  if (!solver) GTEST_SKIP() << "python3-cvxopt not available";
  Scenario sc = small_scenario();
  const Instance inst = generate(sc, 1);
  SolveOptions so;
  so.solver = solver;
  so.scheme = "comm_only_strict";
  const auto j = solve_instance(inst, so);
  EXPECT_EQ(j["status"], "infeasible");
  EXPECT_NE(j["message"].get<std::string>().find("certified"), std::string::npos);
  // With the SCNR threshold lowered far enough the relaxation is feasible: the certificate is not vacuous.
  Instance easy = inst;
  easy.Gamma_s_dB = -40;
  const auto cert = solver->solve({build_comm_only_relaxation(easy)}, {}).front();
  EXPECT_NE(cert.status, conic::Status::infeasible);
}

TEST(ModelBSolve, BadInputsNameTheField) {
  const Instance inst = generate(small_scenario(), 1);
  SolveOptions so;
  so.scheme = "bogus";
  EXPECT_EQ(field_of([&] { solve_instance(inst, so); }), "scheme");
  so.scheme = "decomposed_had";
  Instance digital_only = inst;
  digital_only.N_RF = 0;
  so.solver = std::make_shared<crosscheck::CvxoptSolver>();
  EXPECT_EQ(field_of([&] { solve_instance(digital_only, so); }), "N_RF");
  Instance bad = inst;
  bad.h[0](0) = {NAN, 0};
  so.scheme = "digital";
  EXPECT_NE(field_of([&] { solve_instance(bad, so); }), "<no error>");
  std::mt19937_64 rng(1);
  DigitalStepData data = random_step_data(3, 2, 1, 1, rng);
  data.rho.pop_back();
  EXPECT_EQ(field_of([&] { build_digital_step(data); }), "rho");
  data = random_step_data(3, 2, 1, 1, rng);
  data.h[1].resize(2);
  EXPECT_EQ(field_of([&] { build_digital_step(data); }), "h[1]");
  FpOptions o;
  o.delta = 0;
  EXPECT_EQ(field_of([&] { run_digital_fp(inst, *so.solver, o); }), "delta");
}

TEST(ModelBDigitalFp, AdmmReferenceAgreesWithCvxopt) {
  // The project's own CPU ADMM solver (eps 1e-6, FpOptions default) against the interior-point bridge:
  // same FP path, so the sum rates agree closely and the ADMM design is feasible to its tolerance.
  const auto cvx = cvxopt_or_skip();
  if (!cvx) GTEST_SKIP() << "python3-cvxopt not available";
  const Instance inst = generate(small_scenario(), 1);
  const FpResult a = run_digital_fp(inst, *conic::make_cpu_solver());
  const FpResult b = run_digital_fp(inst, *cvx);
  ASSERT_EQ(a.status, "optimal") << a.message;
  ASSERT_EQ(b.status, "optimal") << b.message;
  EXPECT_NEAR(a.objective_trace.back(), b.objective_trace.back(), 1e-3 * b.objective_trace.back());
  EXPECT_LE(worst_constraint_ratio(inst, a.W, a.R_s), 1 + 1e-4);
}
