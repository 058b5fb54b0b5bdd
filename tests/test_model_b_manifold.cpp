// Model B manifold kernels and drivers: Riemannian gradient vs finite differences on the manifold,
// Euclidean gradient vs finite differences, retraction, monotone manifold descent, MO-AltMin.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "host/common/errors.hpp"
#include "host/model_b/manifold.hpp"
#include "host/model_b/mo_altmin.hpp"
#include "tests/manifold_test_problems.hpp"

using namespace isacbf;
using namespace isacbf::model_b;
using namespace isacbf::model_b::test_problems;

namespace {

double rel_diff(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-12}); }

}  // namespace

TEST(ModelBManifold, EuclideanGradientMatchesFiniteDifferences) {
  std::mt19937_64 rng(11);
  const ManifoldProblem p = random_problem(8, 3, 5, 4, rng);
  const Eigen::MatrixXcd F = random_unit_modulus(8, 3, rng);
  ASSERT_GT(penalty_values(p, F)[1], 0.0) << "test point must exercise an active penalty";
  const Eigen::MatrixXcd grad = euclidean_gradient(p, F);
  for (int trial = 0; trial < 3; ++trial) {
    const Eigen::MatrixXcd E = random_complex(8, 3, rng);
    const double h = 1e-6;
    const double fd = (manifold_cost(p, F + h * E) - manifold_cost(p, F - h * E)) / (2 * h);
    const double analytic = (grad.conjugate().cwiseProduct(E)).real().sum();  // Re <grad, E>
    EXPECT_LT(rel_diff(fd, analytic), 1e-6) << fd << " vs " << analytic;
  }
}

TEST(ModelBManifold, RiemannianGradientMatchesFiniteDifferencesOnTheManifold) {
  std::mt19937_64 rng(12);
  const ManifoldProblem p = random_problem(8, 3, 5, 4, rng);
  const Eigen::MatrixXcd F = random_unit_modulus(8, 3, rng);
  const Eigen::MatrixXcd rgrad = riemannian_gradient(F, euclidean_gradient(p, F));
  // Tangent: Re(conj(F) . rgrad) = 0 element-wise.
  EXPECT_LT((F.conjugate().cwiseProduct(rgrad)).real().cwiseAbs().maxCoeff(), 1e-12 * std::max(1.0, rgrad.norm()));
  for (int trial = 0; trial < 3; ++trial) {
    const Eigen::MatrixXcd xi = riemannian_gradient(F, random_complex(8, 3, rng));  // random tangent vector
    const double h = 1e-6;
    // retract(F, dir, t) moves along -dir: the curve t -> retract(F, -xi, t) has velocity xi at 0.
    const double fd = (manifold_cost(p, retract(F, -xi, h)) - manifold_cost(p, retract(F, xi, h))) / (2 * h);
    const double analytic = (rgrad.conjugate().cwiseProduct(xi)).real().sum();
    EXPECT_LT(rel_diff(fd, analytic), 1e-6) << fd << " vs " << analytic;
  }
}

TEST(ModelBManifold, RetractionKeepsUnitModulus) {
  std::mt19937_64 rng(13);
  const Eigen::MatrixXcd F = random_unit_modulus(16, 4, rng);
  for (double step : {1e-3, 0.5, 10.0}) {
    const Eigen::MatrixXcd G = retract(F, random_complex(16, 4, rng), step);
    EXPECT_LT((G.cwiseAbs().array() - 1.0).abs().maxCoeff(), 1e-14);
  }
  // A zero direction leaves F unchanged; a non-manifold input is projected.
  EXPECT_LT((retract(F, Eigen::MatrixXcd::Zero(16, 4), 1.0) - F).norm(), 1e-14);
  const Eigen::MatrixXcd G = retract(3.0 * F, Eigen::MatrixXcd::Zero(16, 4), 0.0);
  EXPECT_LT((G - F).norm(), 1e-13);
}

TEST(ModelBManifold, DescentDecreasesTheCostMonotonically) {
  std::mt19937_64 rng(14);
  const ManifoldProblem p = random_problem(12, 4, 6, 5, rng);
  const ManifoldResult r = minimise_on_circle_manifold(p, random_unit_modulus(12, 4, rng));
  ASSERT_GE(r.cost_trace.size(), 3u);
  for (std::size_t i = 1; i < r.cost_trace.size(); ++i) EXPECT_LE(r.cost_trace[i], r.cost_trace[i - 1]);
  EXPECT_LT(r.cost_trace.back(), r.cost_trace.front() - 1e-3 * std::abs(r.cost_trace.front()));
  EXPECT_LT((r.F.cwiseAbs().array() - 1.0).abs().maxCoeff(), 1e-12);
}

TEST(ModelBManifold, MoAltMinResidualNonIncreasingAndExactWithEnoughChains) {
  std::mt19937_64 rng(15);
  const Eigen::MatrixXcd T = random_complex(16, 3, rng);
  const AltMinResult few = mo_altmin(T, 4);
  ASSERT_GE(few.residual_trace.size(), 2u);
  for (std::size_t i = 1; i < few.residual_trace.size(); ++i)
    EXPECT_LE(few.residual_trace[i], few.residual_trace[i - 1] * (1 + 1e-12));
  EXPECT_LT(few.residual_trace.back(), few.residual_trace.front());
  // With N_RF >= 2 L any T is representable (Zhang-Molisch-Kung): the residual goes to ~0.
  const AltMinResult many = mo_altmin(T, 6);
  EXPECT_LT(many.residual_trace.back(), 1e-3 * T.norm());
  EXPECT_LT((many.F.cwiseAbs().array() - 1.0).abs().maxCoeff(), 1e-12);
}

TEST(ModelBManifold, BadInputsNameTheField) {
  auto field = [](auto&& f) {
    try {
      f();
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("<no error>");
  };
  std::mt19937_64 rng(16);
  ManifoldProblem p = random_problem(8, 3, 5, 4, rng);
  const Eigen::MatrixXcd F = random_unit_modulus(8, 3, rng);
  EXPECT_EQ(field([&] { mo_altmin(random_complex(8, 2, rng), 0); }), "N_RF");
  EXPECT_EQ(field([&] { mo_altmin(random_complex(8, 2, rng), 9); }), "N_RF");
  EXPECT_EQ(field([&] { manifold_cost(p, random_unit_modulus(8, 2, rng)); }), "B");
  p.a.resize(2, 2);
  EXPECT_EQ(field([&] { manifold_cost(p, F); }), "a");
  Eigen::MatrixXcd bad = F;
  bad(0, 0) = {NAN, 0};
  EXPECT_EQ(field([&] { minimise_on_circle_manifold(random_problem(8, 3, 5, 4, rng), bad); }), "F");
}

// MO-AltMin's cost with C = I, stored (P = Nt probes) or implied by identity_probes: the same cost,
// gradient and descent, to rounding; an identity problem with a C is refused.
TEST(ModelBManifold, IdentityProbesEqualAnExplicitIdentity) {
  std::mt19937_64 rng(14);
  const int Nt = 12, n_rf = 3, L = 4;
  const Eigen::MatrixXcd T = random_complex(Nt, L, rng);
  ManifoldProblem implied;
  implied.identity_probes = true;
  implied.a = Eigen::MatrixXd::Ones(Nt, L);
  implied.beta = -2.0 * T;
  implied.kappa = T.squaredNorm();
  implied.B = random_complex(n_rf, L, rng);
  ManifoldProblem stored = implied;
  stored.identity_probes = false;
  stored.C = Eigen::MatrixXcd::Identity(Nt, Nt);
  const Eigen::MatrixXcd F = random_unit_modulus(Nt, n_rf, rng);
  EXPECT_NEAR(manifold_cost(implied, F), manifold_cost(stored, F), 1e-12 * manifold_cost(stored, F));
  EXPECT_NEAR(manifold_cost(implied, F), (T - F * implied.B).squaredNorm(), 1e-10 * T.squaredNorm());
  EXPECT_LT((euclidean_gradient(implied, F) - euclidean_gradient(stored, F)).norm(), 1e-12 * euclidean_gradient(stored, F).norm());
  ManifoldOptions o;
  o.max_iterations = 20;
  const ManifoldResult a = minimise_on_circle_manifold(implied, F, o), b = minimise_on_circle_manifold(stored, F, o);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_NEAR(a.cost_trace.back(), b.cost_trace.back(), 1e-10 * b.cost_trace.front());
  implied.C = Eigen::MatrixXcd::Identity(Nt, Nt);
  try {
    manifold_cost(implied, F);
    FAIL() << "identity_probes with a stored C accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "C");
  }
}
