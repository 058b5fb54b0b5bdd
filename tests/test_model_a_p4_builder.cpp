// P4 builder checked without any solver: the conic rows evaluated at known designs must reproduce the
// constraint slacks computed directly from the model's formulas (model-a.md), in sign and proportion.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "host/common/errors.hpp"
#include "host/common/units.hpp"
#include "host/model_a/hermitian_vec.hpp"
#include "host/model_a/p4_builder.hpp"
#include "host/model_a/scaled_model.hpp"
#include "tests/model_a_test_instances.hpp"

using namespace isacbf;
using namespace isacbf::model_a;

namespace {

Eigen::MatrixXcd random_psd(int n, double trace, std::mt19937_64& rng) {
  std::normal_distribution<double> nd;
  Eigen::MatrixXcd G(n, 2);
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < n; ++i) G(i, j) = {nd(rng), nd(rng)};
  Eigen::MatrixXcd X = G * G.adjoint();
  return X * (trace / X.trace().real());
}

Design random_design(const Instance& inst, double power_fraction, unsigned seed) {
  std::mt19937_64 rng(seed);
  const double P = dbm_to_watt(inst.P_dBm) * power_fraction;
  Design d;
  for (int k = 0; k < inst.K; ++k) d.Q.push_back(random_psd(inst.Nt, 0.1 * P, rng));
  d.S = random_psd(inst.Nt, P - 0.1 * P * inst.K, rng);
  return d;
}

// Direct slacks (positive = satisfied), in watts, from the model's definitions.
struct Slacks {
  std::vector<double> security;  // gamma_se (sigma_u^2 + interference) - numerator
  double sensing;                // ||h_ce||^2 q_S - gamma_s (sigma_b^2 + ||h_ce||^2 sum q_k)
  double power;                  // P - Tr(sum Q + S)
};
Slacks direct_slacks(const Instance& inst, const Design& d) {
  auto q = [&](const Eigen::MatrixXcd& X) { return (inst.h_ce.adjoint() * X * inst.h_ce)(0, 0).real(); };
  const double su = dbm_to_watt(inst.sigma_u_dBm), sb = dbm_to_watt(inst.sigma_b_dBm);
  const double gse = db_to_linear(inst.gamma_se_dB), gs = db_to_linear(inst.gamma_s_dB), h2 = inst.h_ce.squaredNorm();
  Slacks s;
  double sumq = 0.0, tr = d.S.trace().real();
  for (const auto& Q : d.Q) {
    sumq += q(Q);
    tr += Q.trace().real();
  }
  for (int k = 0; k < inst.K; ++k) {
    const double e2 = std::norm(inst.h_e(k));
    const double num = e2 * (q(d.S) + q(d.Q[k]));
    const double den = su + e2 * (sumq - q(d.Q[k]));
    s.security.push_back(gse * den - num);
  }
  s.sensing = h2 * q(d.S) - gs * (sb + h2 * sumq);
  s.power = dbm_to_watt(inst.P_dBm) - tr;
  return s;
}

Eigen::VectorXd slack_vector(const conic::ConicProblem& p, const Eigen::VectorXd& x) { return p.b - p.A * x; }

}  // namespace

TEST(HermitianVec, RoundTripAndInnerProduct) {
  std::mt19937_64 rng(3);
  const Eigen::MatrixXcd X = random_psd(4, 2.0, rng), Y = random_psd(4, 1.0, rng);
  EXPECT_LT((hmat(hvec(X), 4) - X).norm(), 1e-12);
  EXPECT_NEAR(hvec(X).dot(hvec(Y)), (X * Y).trace().real(), 1e-12);
  EXPECT_THROW(hmat(Eigen::VectorXd::Zero(5), 2), InputError);
}

TEST(Subspace, ReducedBasisIsOrthonormalAndHoldsEveryChannel) {
  const Instance inst = fixtures::table1_instance(8, 1);
  const Subspace sub = make_subspace(inst, Form::reduced);
  ASSERT_EQ(sub.d(), 4);
  EXPECT_LT((sub.U.adjoint() * sub.U - Eigen::MatrixXcd::Identity(4, 4)).norm(), 1e-12);
  for (int k = 0; k < inst.K; ++k) {
    const Eigen::VectorXcd h = user_channel(inst, k).adjoint();
    EXPECT_LT((sub.U * (sub.U.adjoint() * h) - h).norm(), 1e-12 * h.norm());
  }
}

// Each non-negative row of the feasibility problem is a positive multiple of the direct slack.
TEST(P4Builder, FeasibilityRowsAreScaledSlacks) {
  const Instance inst = fixtures::table1_instance(8, 2);
  for (Form form : {Form::reduced, Form::full}) {
    const ScaledModel m = make_scaled_model(inst, {form, true, std::nullopt});
    const auto prob = build_feasibility(m);
    ASSERT_EQ(prob.cones.nonneg, inst.K + 2);
    std::vector<double> ratio;
    for (unsigned seed : {1u, 2u}) {
      const Design d = random_design(inst, 0.9, seed);
      Blocks y = to_blocks(m, d);
      Eigen::VectorXd x(y.size() * y[0].size());
      for (std::size_t j = 0; j < y.size(); ++j) x.segment(j * y[0].size(), y[0].size()) = y[j];
      // The full form sees the design exactly; the reduced form sees its projection, which has the
      // same quadratic forms but less power, so only compare (27) and (28) there.
      const Eigen::VectorXd s = slack_vector(prob, x);
      const Slacks direct = direct_slacks(inst, form == Form::full ? d : to_design(m, y, {form, true, std::nullopt}));
      for (int k = 0; k < inst.K; ++k) ratio.push_back(s[k] / direct.security[k]);
      ratio.push_back(s[inst.K] / direct.sensing);
      ratio.push_back(s[inst.K + 1] / direct.power);
    }
    const std::size_t rows = static_cast<std::size_t>(inst.K + 2);
    for (std::size_t r = 0; r < rows; ++r) {
      EXPECT_GT(ratio[r], 0.0) << "row " << r;
      EXPECT_NEAR(ratio[r] / ratio[r + rows], 1.0, 1e-9) << "row " << r;
    }
  }
}

// At the tight expansion of a design, (42)/(43) hold with equality, the exponential cones sit on
// their boundary (t = 0), and -c^T x equals sum_k ln(1+SINR_u,k) - ln(1+SINR_t,k) of the design.
TEST(P4Builder, TightPointIsFeasibleWithTheTrueObjective) {
  const Instance inst = fixtures::table1_instance(8, 4);
  const ScaledModel m = make_scaled_model(inst, {});
  const Design d = random_design(inst, 0.5, 7);
  const Blocks y = to_blocks(m, d);
  const Expansion at = tight_expansion(m, y);
  const auto prob = build_p4(m, at);
  const Eigen::VectorXd x = p4_point(m, at, y, at.tau_ref, at.eps, at.v_ref, at.u);
  const Eigen::VectorXd s = slack_vector(prob, x);
  for (int k = 0; k <= inst.K; ++k) EXPECT_NEAR(s[k], 0.0, 1e-12) << "(42)/(43) row " << k;
  const int exp0 = prob.cones.dimension() - 3 * prob.cones.exp_primal;
  for (int c = 0; c < prob.cones.exp_primal; ++c) {
    EXPECT_NEAR(s[exp0 + 3 * c], 0.0, 1e-12);
    EXPECT_NEAR(s[exp0 + 3 * c + 1], 1.0, 1e-12);
    EXPECT_NEAR(s[exp0 + 3 * c + 2], 1.0, 1e-9);
  }
  // independent SINRs
  const double su = dbm_to_watt(inst.sigma_u_dBm), st = dbm_to_watt(inst.sigma_t_dBm);
  const Design dp = to_design(m, y, {});
  double expected = 0.0;
  for (int k = 0; k < inst.K; ++k) {
    const Eigen::RowVectorXcd h = user_channel(inst, k);
    auto fu = [&](const Eigen::MatrixXcd& X) { return (h * X * h.adjoint())(0, 0).real(); };
    auto ft = [&](const Eigen::MatrixXcd& X) { return (inst.h_ce.adjoint() * X * inst.h_ce)(0, 0).real(); };
    double iu = fu(dp.S), it = ft(dp.S);
    for (int i = 0; i < inst.K; ++i)
      if (i != k) iu += fu(dp.Q[i]), it += ft(dp.Q[i]);
    expected += std::log1p(fu(dp.Q[k]) / (su + iu)) - std::log1p(ft(dp.Q[k]) / (st + it));
  }
  EXPECT_NEAR(p4_objective(m, at, x), expected, 1e-9 * (1.0 + std::abs(expected)));
  EXPECT_NEAR(-prob.c.dot(x), 0.0, 1e-12);  // the deviations are zero at the reference point
}

// Moving eps below its linearised bound must make that (42) row negative: the row constrains eps.
TEST(P4Builder, LoweringEpsViolatesItsRow) {
  const Instance inst = fixtures::table1_instance(8, 5);
  const ScaledModel m = make_scaled_model(inst, {});
  const Blocks y = to_blocks(m, random_design(inst, 0.5, 8));
  const Expansion at = tight_expansion(m, y);
  auto eps = at.eps;
  eps[1] -= 0.01;
  const auto prob = build_p4(m, at);
  const Eigen::VectorXd s = slack_vector(prob, p4_point(m, at, y, at.tau_ref, eps, at.v_ref, at.u));
  EXPECT_LT(s[1], 0.0);
  EXPECT_NEAR(s[0], 0.0, 1e-12);
}

TEST(P4Builder, ReducedAndFullFormsSeeTheSameQuadraticForms) {
  const Instance inst = fixtures::table1_instance(10, 6);
  const ScaledModel red = make_scaled_model(inst, {Form::reduced, true, std::nullopt});
  const ScaledModel full = make_scaled_model(inst, {Form::full, true, std::nullopt});
  const Design d = random_design(inst, 0.7, 9);
  const Blocks yr = to_blocks(red, d), yf = to_blocks(full, d);
  for (int k = 0; k < inst.K; ++k) {
    EXPECT_NEAR(red.user_total(yr, k), full.user_total(yf, k), 1e-9 * full.user_total(yf, k));
    EXPECT_NEAR(red.target_without(yr, k), full.target_without(yf, k), 1e-9 * full.target_without(yf, k));
  }
  EXPECT_NEAR(red.secrecy_rate(yr), full.secrecy_rate(yf), 1e-9);
}

// Scaling every power and noise by the same factor (and every channel gain) leaves the conic data unchanged.
TEST(P4Builder, InvariantUnderRescalingPowersAndNoises) {
  const Instance a = fixtures::table1_instance(8, 11);
  Instance b = a;
  b.P_dBm += 17.0;
  b.sigma_u_dBm += 17.0;
  b.sigma_t_dBm += 17.0;
  b.sigma_b_dBm += 17.0;
  Instance c = a;  // g x100 and h_e h_ce^H x100 (+40 dB at the CUs), h_ce x10 (+20 dB at the target)
  for (auto& g : c.g) g *= 100.0;
  c.h_ce *= 10.0;
  c.h_e *= 10.0;
  c.sigma_u_dBm += 40.0;
  c.sigma_t_dBm += 20.0;
  c.sigma_b_dBm += 40.0;
  const ScaledModel ma = make_scaled_model(a, {}), mb = make_scaled_model(b, {});
  const Blocks y = to_blocks(ma, random_design(a, 0.5, 3));
  const Expansion at = tight_expansion(ma, y);
  const auto pa = build_p4(ma, at), pb = build_p4(mb, at);
  EXPECT_LT((Eigen::MatrixXd(pa.A) - Eigen::MatrixXd(pb.A)).norm(), 1e-9 * Eigen::MatrixXd(pa.A).norm());
  EXPECT_LT((pa.b - pb.b).norm(), 1e-9 * (1.0 + pa.b.norm()));
  EXPECT_LT((pa.c - pb.c).norm(), 1e-12);
  // c: channel gains and noises scaled link by link so every SNR is unchanged.
  const ScaledModel mc = make_scaled_model(c, {});
  const auto pc = build_p4(mc, at);
  EXPECT_LT((Eigen::MatrixXd(pa.A) - Eigen::MatrixXd(pc.A)).norm(), 1e-9 * Eigen::MatrixXd(pa.A).norm());
  EXPECT_LT((pa.b - pc.b).norm(), 1e-9 * (1.0 + pa.b.norm()));
}

TEST(P4Builder, SameSparsityPatternAcrossInstancesAndNt) {
  const ScaledModel m8 = make_scaled_model(fixtures::table1_instance(8, 1), {});
  const ScaledModel m12 = make_scaled_model(fixtures::table1_instance(12, 2), {});
  const Blocks y8 = to_blocks(m8, random_design(fixtures::table1_instance(8, 1), 0.5, 1));
  const Blocks y12 = to_blocks(m12, random_design(fixtures::table1_instance(12, 2), 0.5, 1));
  const auto p8 = build_p4(m8, tight_expansion(m8, y8)), p12 = build_p4(m12, tight_expansion(m12, y12));
  ASSERT_TRUE(p8.cones == p12.cones);
  ASSERT_EQ(p8.A.nonZeros(), p12.A.nonZeros());
  for (Eigen::Index j = 0; j <= p8.A.cols(); ++j) ASSERT_EQ(p8.A.outerIndexPtr()[j], p12.A.outerIndexPtr()[j]);
  for (Eigen::Index p = 0; p < p8.A.nonZeros(); ++p) ASSERT_EQ(p8.A.innerIndexPtr()[p], p12.A.innerIndexPtr()[p]);
}

TEST(P4Builder, RejectsBadInputNamingTheField) {
  Instance inst = fixtures::table1_instance(8, 1);
  inst.h_e.resize(2);
  try {
    make_scaled_model(inst, {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "channels.h_e");
  }
  Instance bad = fixtures::table1_instance(8, 1);
  bad.P_dBm = std::nan("");
  EXPECT_THROW(make_scaled_model(bad, {}), InputError);
}
