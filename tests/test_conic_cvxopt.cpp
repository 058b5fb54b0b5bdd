// CVXOPT (interior point, through crosscheck::CvxoptSolver and scripts/cvxopt_conic_bridge.py) as an
// independent cross-check of the ADMM: random feasible problems of every cone mix, objectives must agree
// to 1e-5 relative; and the bridge's own statuses, batching and bad input. Skips without
// /usr/bin/python3 + cvxopt. Problems are built feasible and bounded: x0, s0 in int K, y0 in int K*,
// b = A x0 + s0, c = -A^T y0. Exponential cones use a constant s-row (the bridge needs it).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "conic_test_util.hpp"
#include "host/conic/cone_projector.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "input_error_field.hpp"
#include "kernels/psd.hpp"

using namespace isacbf::conic;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

struct Mix {
  const char* name;
  ConeSpec k;
};

ConicProblem random_problem(const ConeSpec& k, int n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> N(0.0, 1.0);
  std::uniform_real_distribution<double> U(0.5, 1.5);
  const auto blocks = cone_blocks(k);
  const int m = k.dimension();
  MatrixXd A(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = N(gen);
  VectorXd s0 = VectorXd::Zero(m), y0 = VectorXd::Zero(m);
  for (const auto& b : blocks) {
    double* s = s0.data() + b.offset;
    double* y = y0.data() + b.offset;
    switch (b.kind) {
      case BlockKind::zero:
        for (int i = 0; i < b.size; ++i) y[i] = N(gen);
        break;
      case BlockKind::nonneg:
        for (int i = 0; i < b.size; ++i) s[i] = U(gen), y[i] = U(gen);
        break;
      case BlockKind::soc: {
        double ns = 0, ny = 0;
        for (int i = 1; i < b.size; ++i) s[i] = N(gen), y[i] = N(gen), ns += s[i] * s[i], ny += y[i] * y[i];
        s[0] = std::sqrt(ns) + U(gen);
        y[0] = std::sqrt(ny) + U(gen);
        break;
      }
      case BlockKind::psd_real: {
        const int o = b.order;
        MatrixXd G = MatrixXd::Random(o, o), H = MatrixXd::Random(o, o);
        MatrixXd S = G * G.transpose() + 0.5 * MatrixXd::Identity(o, o);
        MatrixXd Y = H * H.transpose() + 0.5 * MatrixXd::Identity(o, o);
        isacbf::kernels::svec_pack(o, S.data(), s);
        isacbf::kernels::svec_pack(o, Y.data(), y);
        break;
      }
      case BlockKind::psd_complex: {
        const int o = b.order;
        Eigen::MatrixXcd G = Eigen::MatrixXcd::Random(o, o), H = Eigen::MatrixXcd::Random(o, o);
        Eigen::MatrixXcd S = G * G.adjoint() + 0.5 * Eigen::MatrixXcd::Identity(o, o);
        Eigen::MatrixXcd Y = H * H.adjoint() + 0.5 * Eigen::MatrixXcd::Identity(o, o);
        isacbf::kernels::hvec_pack(o, reinterpret_cast<const double*>(S.data()), s);
        isacbf::kernels::hvec_pack(o, reinterpret_cast<const double*>(Y.data()), y);
        break;
      }
      case BlockKind::exp_primal: {
        A.row(b.offset + 1).setZero();  // constant s-row
        s[0] = N(gen) * 0.5;
        s[1] = 1.0;
        s[2] = std::exp(s[0]) + U(gen);
        y[0] = -U(gen);
        y[1] = N(gen) * 0.5;
        y[2] = -y[0] * std::exp(y[1] / y[0] - 1.0) + U(gen);
        break;
      }
      case BlockKind::exp_dual: break;
    }
  }
  VectorXd x0(n);
  for (int j = 0; j < n; ++j) x0[j] = N(gen);
  ConicProblem p;
  p.cones = k;
  p.A = A.sparseView();
  p.b = A * x0 + s0;
  p.c = -A.transpose() * y0;
  return p;
}

}  // namespace

TEST(CvxoptCrossCheck, RandomProblemsOfEveryConeMix) {
  if (!isacbf::crosscheck::cvxopt_available()) GTEST_SKIP() << "/usr/bin/python3 has no cvxopt";
  std::vector<Mix> mixes;
  {
    ConeSpec k; k.nonneg = 12; mixes.push_back({"lp", k});
  }
  {
    ConeSpec k; k.zero = 2; k.nonneg = 3; k.soc = {4, 3}; mixes.push_back({"soc", k});
  }
  {
    ConeSpec k; k.nonneg = 2; k.psd_real = {3, 4}; mixes.push_back({"psd_real", k});
  }
  {
    ConeSpec k; k.zero = 1; k.psd_complex = {3}; mixes.push_back({"psd_complex", k});
  }
  {
    ConeSpec k; k.nonneg = 3; k.exp_primal = 3; mixes.push_back({"exp", k});
  }
  {
    ConeSpec k; k.zero = 1; k.nonneg = 2; k.soc = {3}; k.psd_real = {3}; k.psd_complex = {2}; k.exp_primal = 2;
    mixes.push_back({"all", k});
  }
  isacbf::crosscheck::CvxoptOptions xo;
  xo.tolerances = {{1e-9, 1e-9, 1e-9}, {1e-7, 1e-6, 1e-7}};  // tight; CVXOPT's defaults if it breaks down
  isacbf::crosscheck::CvxoptSolver cvxopt(xo);
  Settings st = conic_test::tight();
  st.eps_abs = st.eps_rel = 1e-9;
  for (const auto& mix : mixes) {
    for (unsigned seed : {1u, 2u}) {
      SCOPED_TRACE(std::string(mix.name) + " seed " + std::to_string(seed));
      const int n = std::max(2, mix.k.dimension() / 3);
      const auto p = random_problem(mix.k, n, seed);
      const Solution ref = cvxopt.solve({p}, Settings{}).front();
      ASSERT_EQ(ref.status, Status::optimal) << ref.message;
      // every path reports its interior-point iterations (solvers.cp's are read off its progress table)
      EXPECT_GT(ref.iterations, 0);
      EXPECT_LT(ref.iterations, 200);
      const double obj_ref = ref.primal_objective;
      const auto s = conic_test::solve_one(p, st);
      ASSERT_EQ(s.status, Status::optimal) << s.message;
      EXPECT_LT(std::fabs(s.primal_objective - obj_ref) / std::max(1.0, std::fabs(obj_ref)), 1e-5)
          << s.primal_objective << " vs CVXOPT " << obj_ref;
    }
  }
}

namespace {

ConicProblem lp(const MatrixXd& A, const VectorXd& b, const VectorXd& c) {
  ConicProblem p;
  p.cones.nonneg = static_cast<int>(A.rows());
  p.A = A.sparseView();
  p.b = b;
  p.c = c;
  return p;
}

}  // namespace

// The bridge's statuses: infeasible (conelp's certificate, no point), unbounded (the ray, s = -A x),
// numerical_error for a cone it cannot take.
TEST(CvxoptSolver, StatusesCertificatesAndUnsupportedCones) {
  if (!isacbf::crosscheck::cvxopt_available()) GTEST_SKIP() << "/usr/bin/python3 has no cvxopt";
  isacbf::crosscheck::CvxoptSolver cvxopt;
  // x >= 1 and x <= 0
  const ConicProblem infeasible = lp((MatrixXd(2, 1) << -1, 1).finished(), Eigen::Vector2d(-1, 0), VectorXd::Ones(1));
  // minimise -x over x >= 0
  const ConicProblem unbounded = lp(MatrixXd::Constant(1, 1, -1.0), VectorXd::Zero(1), -VectorXd::Ones(1));
  ConicProblem dual_exp;
  dual_exp.cones.exp_dual = 1;
  dual_exp.A = MatrixXd::Identity(3, 1).sparseView();
  dual_exp.b = Eigen::Vector3d(-1.0, 1.0, 1.0);
  dual_exp.c = VectorXd::Ones(1);
  const auto s = cvxopt.solve({infeasible, unbounded, dual_exp}, Settings{});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].status, Status::infeasible) << s[0].message;
  EXPECT_EQ(s[0].x.size(), 0);
  EXPECT_NE(s[0].message.find("certificate residual"), std::string::npos) << s[0].message;
  EXPECT_EQ(s[1].status, Status::unbounded) << s[1].message;
  ASSERT_EQ(s[1].x.size(), 1);
  EXPECT_NEAR(s[1].primal_objective, -1.0, 1e-9);
  EXPECT_NEAR((s[1].s + unbounded.A * s[1].x).norm(), 0.0, 1e-12);
  EXPECT_EQ(s[2].status, Status::numerical_error);
  EXPECT_NE(s[2].message.find("dual exponential"), std::string::npos) << s[2].message;
  for (const auto& sol : s) EXPECT_EQ(sol.linear_solver, "cvxopt");
}

// A batch split over several Python processes gives what one process gives; bad input names the field.
TEST(CvxoptSolver, ChunkedBatchEqualsOneProcessAndBadInputNamesTheField) {
  if (!isacbf::crosscheck::cvxopt_available()) GTEST_SKIP() << "/usr/bin/python3 has no cvxopt";
  ConeSpec k;
  k.zero = 1;
  k.soc = {3};
  k.psd_complex = {2};
  std::vector<ConicProblem> batch;
  for (unsigned seed : {1u, 2u, 3u}) batch.push_back(random_problem(k, 3, seed));
  isacbf::crosscheck::CvxoptOptions one, three;
  one.processes = 1;
  three.processes = 3;
  const auto a = isacbf::crosscheck::CvxoptSolver(one).solve(batch, Settings{});
  const auto b = isacbf::crosscheck::CvxoptSolver(three).solve(batch, Settings{});
  for (std::size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(a[i].status, Status::optimal) << a[i].message;
    EXPECT_EQ(b[i].status, a[i].status);
    EXPECT_EQ(b[i].x, a[i].x);
    EXPECT_NEAR((a[i].s - (batch[i].b - batch[i].A * a[i].x)).norm(), 0.0, 1e-12);
  }
  batch[1].b[0] = NAN;  // reported, the rest solved as before (spec: one bad instance does not sink the batch)
  const auto c = isacbf::crosscheck::CvxoptSolver(three).solve(batch, Settings{});
  EXPECT_EQ(c[1].status, Status::numerical_error);
  EXPECT_NE(c[1].message.find("batch[1]"), std::string::npos) << c[1].message;
  EXPECT_NE(c[1].message.find("'b[0]'"), std::string::npos) << c[1].message;
  for (std::size_t i : {0u, 2u}) {
    EXPECT_EQ(c[i].status, a[i].status);
    EXPECT_EQ(c[i].x, a[i].x);
  }
  EXPECT_EQ(isacbf::testing::field_of([&] {
              isacbf::crosscheck::CvxoptSolver(three).solve(batch, Settings{}, std::vector<isacbf::conic::WarmStart>(2));
            }),
            "warm_starts");
  isacbf::crosscheck::CvxoptOptions none;
  none.tolerances.clear();
  EXPECT_EQ(isacbf::testing::field_of([&] { isacbf::crosscheck::CvxoptSolver{none}; }), "cvxopt.tolerances");
}
