// The host half of the GPU backend (cuda/batch_prep.cpp), which builds without CUDA: runs everywhere.
// The Woodbury factors it uploads must solve the x-system of the CPU reference exactly.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "cuda/batch_prep.hpp"
#include "cuda/woodbury_factor.hpp"
#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/device_batch.hpp"
#include "host/conic/grouped_solve.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/solve.hpp"
#include "host/model_a/sca.hpp"
#include "kernels/cholesky_solve.hpp"
#include "tests/gpu/gpu_test_problems.hpp"
#include "tests/gpu/model_a_p4_batch.hpp"
#include "tests/lockstep_solver.hpp"
#include "tests/model_b_test_scenarios.hpp"

namespace {
using namespace isacbf;
using isacbf::gpu::prepare_batch;

// (rho_x I + A^T diag(1/r_y) A)^{-1} rhs, through the uploaded pieces, as admm_batched.cu applies them
// (the capacitance solve is the device's own code, kernels/cholesky_solve.hpp).
Eigen::VectorXd woodbury_solve(const gpu::AdmmHostData& h, int b, const Eigen::VectorXd& rhs) {
  const int n = h.layout.n, p = static_cast<int>(h.multi_rows.size()), nnz = h.row_ptr.back();
  const double* vals = h.csr_vals.data() + 1LL * b * nnz;
  const Eigen::Map<const Eigen::VectorXd> dinv(h.dinv.data() + 1LL * b * n, n);
  const Eigen::VectorXd y = dinv.cwiseProduct(rhs);
  Eigen::VectorXd q(p);
  for (int r = 0; r < p; ++r) {
    q[r] = 0.0;
    for (int k = h.row_ptr[h.multi_rows[r]]; k < h.row_ptr[h.multi_rows[r] + 1]; ++k) q[r] += vals[k] * y[h.col_idx[k]];
  }
  kernels::cholesky_solve_in_place(p, h.chol.data() + 1LL * b * p * p, q.data());
  Eigen::VectorXd x = rhs;
  for (int j = 0; j < n; ++j)
    for (int e = h.rt_ptr[j]; e < h.rt_ptr[j + 1]; ++e) x[j] -= vals[h.rt_pos[e]] * q[h.rt_k[e]];
  return dinv.cwiseProduct(x);
}

Eigen::MatrixXd dense_a(const gpu::AdmmHostData& h, int b) {
  const int n = h.layout.n, m = h.layout.m, nnz = h.row_ptr.back();
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(m, n);
  for (int i = 0; i < m; ++i)
    for (int k = h.row_ptr[i]; k < h.row_ptr[i + 1]; ++k) a(i, h.col_idx[k]) = h.csr_vals[1LL * b * nnz + k];
  return a;
}

// Slot b's uploaded factors against a dense LDL^T of rho_x I + A^T diag(1/r_y) A, r the metric they are for.
void expect_solves_reference(const gpu::AdmmHostData& h, int b, const Eigen::Ref<const Eigen::VectorXd>& r,
                             double rho_x, std::mt19937_64& rng) {
  const int n = h.layout.n, m = h.layout.m;
  std::normal_distribution<double> normal;
  const Eigen::MatrixXd a = dense_a(h, b);
  const Eigen::MatrixXd K =
      rho_x * Eigen::MatrixXd::Identity(n, n) + a.transpose() * r.segment(n, m).cwiseInverse().asDiagonal() * a;
  Eigen::VectorXd rhs(n);
  for (int j = 0; j < n; ++j) rhs[j] = normal(rng);
  const Eigen::VectorXd expect = K.ldlt().solve(rhs);
  EXPECT_LE((woodbury_solve(h, b, rhs) - expect).norm(), 1e-9 * expect.norm()) << "instance " << b;
}

TEST(GpuPrep, WoodburyFactorsSolveTheReferenceSystem) {
  std::vector<conic::ConicProblem> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(bench::synthetic_p4(3, 4, 70 + i).problem);
  double lmin = 0.0;
  const auto psd = gpu_test::min_eig_problem(5, true, 3, &lmin);  // an equality row (r_y = 1e-3 / scale)
  for (const auto& problems : {batch, std::vector<conic::ConicProblem>{psd}}) {
    std::vector<conic::Solution> out;
    conic::Settings st;
    const auto prep = prepare_batch(problems, st, {}, out);
    const auto& h = prep.data;
    const long long L = h.layout.n + h.layout.m + 1;
    std::mt19937_64 rng(1);
    for (int b = 0; b < h.batch; ++b)
      expect_solves_reference(h, b, Eigen::Map<const Eigen::VectorXd>(h.r.data() + b * L, L), st.rho_x, rng);
  }
}

// Model B's lockstep rounds as the GPU backend receives them (`solve-b --solver gpu`): comm_only_carrier's
// calls mix sparsity patterns, which one device batch cannot take; GpuBatchSolver splits them with
// conic::structure_groups, and every group must then prepare, with factors that solve its x-systems.
TEST(GpuPrep, ModelBRoundsPrepareOnceSplitByStructure) {
  std::vector<model_b::Instance> instances;
  for (int seed = 1; seed <= 3; ++seed) instances.push_back(model_b::generate(model_b::fixtures::small_scenario(1), static_cast<std::uint64_t>(seed)));
  for (const char* scheme : {"comm_only_carrier", "digital"}) {
    SCOPED_TRACE(scheme);
    auto recorder = std::make_shared<isacbf::testing::LockstepSolver>();
    recorder->keep_problems = true;
    model_b::SolveOptions options;
    options.scheme = scheme;
    options.solver = recorder;
    model_b::solve_instances(instances, options);
    ASSERT_FALSE(recorder->call_problems.empty());
    int split_calls = 0;
    for (std::size_t c = 0; c < recorder->call_problems.size(); ++c) {
      const auto& call = recorder->call_problems[c];
      const auto groups = conic::structure_groups(call, true);
      std::vector<conic::Solution> out;
      if (groups.size() > 1) {
        ++split_calls;
        EXPECT_THROW(prepare_batch(call, recorder->call_settings[c], {}, out), InputError) << "call " << c;
      }
      for (const auto& members : groups) {
        std::vector<conic::ConicProblem> part;
        for (std::size_t i : members) part.push_back(call[i]);
        const auto prep = prepare_batch(part, recorder->call_settings[c], {}, out);
        const auto& h = prep.data;
        ASSERT_EQ(h.batch, static_cast<int>(part.size())) << "call " << c;
        const long long L = h.layout.n + h.layout.m + 1;
        std::mt19937_64 rng(c);
        expect_solves_reference(h, h.batch - 1, Eigen::Map<const Eigen::VectorXd>(h.r.data() + (h.batch - 1) * L, L),
                                recorder->call_settings[c].rho_x, rng);
      }
    }
    if (std::string(scheme) == "comm_only_carrier") {
      EXPECT_GT(split_calls, 0);  // the case this guards
    } else {
      EXPECT_EQ(split_calls, 0);
    }
  }
}

// The x-system solved at real model-A P4 iterates (the CPU reference's solutions, put back into the
// equilibrated space). Columns without a single-entry row have D^-1 = 1 / rho_x: the Woodbury solve
// alone leaves residuals of ~1e-10 relative there (measured: a noise floor near 1e-6 in the GPU's ADMM
// residuals on an H100), so the device adds one refinement step; with it the residual must be at
// rounding level, relative to the right-hand side.
TEST(GpuPrep, WoodburySolveIsBackwardStableAtP4Iterates) {
  const auto batch = gpu_test::model_a_p4_batch(64, 3, 100);
  ASSERT_FALSE(batch.empty());
  for (double scale : {1.0, 200.0, 1000.0}) {
    conic::Settings st = model_a::default_conic_settings();
    st.scale = scale;
    st.adaptive_scale = false;
    st.max_iters = 2000;  // any iterate of the right shape will do
    const auto sol = conic::make_cpu_solver()->solve(batch, st);
    std::vector<conic::Solution> out;
    const auto prep = prepare_batch(batch, st, {}, out);
    const auto& h = prep.data;
    const int n = h.layout.n, m = h.layout.m;
    const long long L = n + m + 1;
    for (int b = 0; b < h.batch; ++b) {
      SCOPED_TRACE("scale " + std::to_string(scale) + " instance " + std::to_string(b));
      const auto& eq = prep.eq[b];
      const Eigen::Map<const Eigen::VectorXd> r(h.r.data() + b * L, L);
      const Eigen::MatrixXd a = dense_a(h, b);
      const Eigen::VectorXd wx = eq.sigma_b * sol[b].x.cwiseQuotient(eq.E);
      const Eigen::VectorXd wy = eq.sigma_c * sol[b].y.cwiseQuotient(eq.D) +
                                 (eq.sigma_b * eq.D.cwiseProduct(sol[b].s)).cwiseQuotient(r.segment(n, m));
      const Eigen::VectorXd rhs = st.rho_x * wx - a.transpose() * wy;  // the iteration's x right-hand side
      const Eigen::VectorXd ry_inv = r.segment(n, m).cwiseInverse();
      auto K = [&](const Eigen::VectorXd& v) -> Eigen::VectorXd {
        return st.rho_x * v + a.transpose() * ry_inv.cwiseProduct(a * v);
      };
      ASSERT_TRUE(h.refine);  // P4's scalar columns have no single-entry row
      Eigen::VectorXd z = woodbury_solve(h, b, rhs);
      z += woodbury_solve(h, b, rhs - K(z));  // the device's refinement step (admm_batched.cu, solve_m)
      const Eigen::VectorXd Kz = K(z);
      EXPECT_LE((Kz - rhs).norm(), 1e-13 * rhs.norm());
    }
  }
}

// The device's capacitance solve (one thread per instance) against Eigen's, on SPD matrices of the
// sizes the models produce and a badly scaled one (diagonal from 1e-6 to 1e6).
TEST(GpuPrep, CholeskySolveMatchesEigen) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  for (int p : {1, 2, 8, 33}) {
    for (bool badly_scaled : {false, true}) {
      Eigen::MatrixXd g(p, p);
      for (int j = 0; j < p; ++j)
        for (int i = 0; i < p; ++i) g(i, j) = normal(rng);
      Eigen::MatrixXd s = g * g.transpose() + p * Eigen::MatrixXd::Identity(p, p);
      if (badly_scaled) {
        const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(p, -6.0, 6.0).unaryExpr([](double e) { return std::pow(10.0, e); });
        s = d.asDiagonal() * s * d.asDiagonal();
      }
      Eigen::VectorXd t(p);
      for (int i = 0; i < p; ++i) t[i] = normal(rng);
      const Eigen::LLT<Eigen::MatrixXd> llt(s);
      const Eigen::MatrixXd L = llt.matrixL();
      Eigen::VectorXd v = t;
      kernels::cholesky_solve_in_place(p, L.data(), v.data());
      const Eigen::VectorXd expect = llt.solve(t);
      EXPECT_LE((v - expect).norm(), 1e-12 * expect.norm()) << "p " << p << " badly scaled " << badly_scaled;
    }
  }
}

TEST(GpuPrep, LayoutGroupsConsecutiveBlocksOfOneSize) {
  conic::ConeSpec k;
  k.zero = 1;
  k.nonneg = 2;
  k.soc = {3};
  k.psd_real = {3, 3};
  k.psd_complex = {4, 4, 2};
  k.exp_primal = 1;
  const int m = k.dimension(), n = 2;
  std::vector<gpu_test::Trip> t;
  for (int i = 0; i < m; ++i) t.emplace_back(i, i % n, 1.0 + i);
  std::vector<double> b(m, 0.0), c(n, 1.0);
  std::vector<conic::Solution> out;
  const auto prep = prepare_batch({gpu_test::make(k, n, t, b, c)}, conic::Settings{}, {}, out);
  const auto& psd = prep.data.layout.psd;
  ASSERT_EQ(psd.size(), 3u);
  EXPECT_EQ(psd[0].n, 3); EXPECT_EQ(psd[0].blocks, 2); EXPECT_FALSE(psd[0].complex); EXPECT_EQ(psd[0].offset, 6);
  EXPECT_EQ(psd[1].n, 4); EXPECT_EQ(psd[1].blocks, 2); EXPECT_TRUE(psd[1].complex); EXPECT_EQ(psd[1].offset, 18);
  EXPECT_EQ(psd[2].n, 2); EXPECT_EQ(psd[2].blocks, 1); EXPECT_EQ(psd[2].offset, 50);
  EXPECT_EQ(prep.data.layout.exp_offset, 54);
}

// The device-memory estimate (host/conic/device_batch.hpp) counts the Woodbury factor's order from the
// problem as given; the device takes it from the prepared CSR pattern. Each cone type and model A's P4.
TEST(GpuPrep, WoodburyOrderIsTheDevicesOrder) {
  std::vector<conic::ConicProblem> problems;
  for (auto& named : gpu_test::cone_problems()) problems.push_back(std::move(named.problem));
  for (const int users : {2, 3}) problems.push_back(bench::synthetic_p4(users, 4, 7).problem);
  for (const auto& problem : problems) {
    std::vector<conic::Solution> out;
    const auto prep = prepare_batch({problem}, conic::Settings{}, {}, out);
    ASSERT_EQ(prep.index.size(), 1u);
    EXPECT_EQ(conic::woodbury_order(problem.A), static_cast<int>(prep.data.multi_rows.size()))
        << problem.A.rows() << " x " << problem.A.cols();
  }
}

TEST(GpuPrep, InvalidInstanceGetsItsSolutionAndNoSlot) {
  std::vector<conic::ConicProblem> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(bench::synthetic_p4(2, 4, 80 + i).problem);
  batch[2].c[0] = std::nan("");
  std::vector<conic::Solution> out;
  const auto prep = prepare_batch(batch, conic::Settings{}, {}, out);
  EXPECT_EQ(prep.index, (std::vector<int>{0, 1}));
  EXPECT_EQ(out[2].status, conic::Status::numerical_error);
  EXPECT_NE(out[2].message.find("batch[2]"), std::string::npos);
}

TEST(GpuPrep, RejectsBadSettingsNamingTheField) {
  const std::vector<conic::ConicProblem> batch{bench::synthetic_p4(2, 4, 1).problem};
  std::vector<conic::Solution> out;
  conic::Settings st;
  st.alpha = 2.5;
  try {
    prepare_batch(batch, st, {}, out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "settings.alpha");
  }
  st = conic::Settings{};
  st.eps_abs = st.eps_rel = 0.0;
  EXPECT_THROW(prepare_batch(batch, st, {}, out), InputError);
}

// prepare_batch takes one device batch; GpuBatchSolver splits mixed batches before it (test_gpu_vs_cpu.cpp).
TEST(GpuPrep, RejectsADifferentSparsityPattern) {
  std::vector<conic::ConicProblem> batch{bench::synthetic_p4(2, 4, 1).problem, bench::synthetic_p4(2, 4, 2).problem};
  batch[1].A.coeffRef(0, batch[1].A.cols() - 1) = 1.0;  // a new entry
  std::vector<conic::Solution> out;
  EXPECT_THROW(prepare_batch(batch, conic::Settings{}, {}, out), InputError);
}

// The adaptive scale refactors single slots on the host (cuda/woodbury_factor.hpp): the new factors must
// solve the reference x-system of the new metric (kernels::metric_diagonal at the new scale), and the
// metric must be the CPU reference's.
TEST(GpuPrep, RefactoredSlotsSolveTheSystemOfTheirNewScale) {
  std::vector<conic::ConicProblem> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(bench::synthetic_p4(3, 4, 90 + i).problem);
  batch[0].cones.zero = 1;  // an equality row (r_y = 1e-3 / scale): same pattern for all three
  batch[0].cones.nonneg -= 1;
  for (int i = 1; i < 3; ++i) batch[i].cones = batch[0].cones;
  std::vector<conic::Solution> out;
  conic::Settings st;
  const auto prep = prepare_batch(batch, st, {}, out);
  gpu::AdmmHostData h = prep.data;
  const int n = h.layout.n, p = static_cast<int>(h.multi_rows.size());
  const long long L = n + h.layout.m + 1;
  const std::vector<int> slots{2, 0};
  const std::vector<double> scales{37.0, 0.004};
  const auto fac = gpu::refactor_slots(h, st.rho_x, slots, scales);
  ASSERT_EQ(fac.ok, (std::vector<int>{1, 1}));
  std::mt19937_64 rng(3);
  for (size_t k = 0; k < slots.size(); ++k) {
    const int b = slots[k];
    const Eigen::Map<const Eigen::VectorXd> r(fac.r.data() + k * L, L);
    EXPECT_DOUBLE_EQ(r[0], st.rho_x);
    EXPECT_DOUBLE_EQ(r[n], 1e-3 / scales[k]);
    EXPECT_DOUBLE_EQ(r[n + 1], 1.0 / scales[k]);
    EXPECT_DOUBLE_EQ(r[L - 1], 1.0);
    std::copy_n(fac.dinv.data() + k * n, n, h.dinv.begin() + 1LL * b * n);
    std::copy_n(fac.chol.data() + k * p * p, p * p, h.chol.begin() + 1LL * b * p * p);
    expect_solves_reference(h, b, r, st.rho_x, rng);
  }
  // slot 1 was not refactored: its factors still solve the system of the initial metric only
  const Eigen::Map<const Eigen::VectorXd> r1(h.r.data() + L, L);
  EXPECT_DOUBLE_EQ(r1[n + 1], 1.0 / h.scale0[1]);
}

// Every instance starts from its own data-based scale (Settings::scale = 0, initial_scale.hpp), as on the
// CPU: ||c_hat|| / ||b_hat|| of its equilibrated data (h.b, h.c), and its metric r is built from it.
TEST(GpuPrep, InitialScalePerInstanceAsTheCpu) {
  std::vector<conic::ConicProblem> batch;
  for (int i = 0; i < 2; ++i) batch.push_back(bench::synthetic_p4(3, 4, 110 + i).problem);
  batch.push_back(batch[0]);
  batch[2].c *= 40.0;  // the equilibration depends on A only: 40 times the first instance's scale
  std::vector<conic::Solution> out;
  const auto prep = prepare_batch(batch, conic::Settings{}, {}, out);
  const auto& h = prep.data;
  const int n = h.layout.n, m = h.layout.m;
  const long long L = n + m + 1;
  ASSERT_EQ(h.scale0.size(), 3u);
  for (int b = 0; b < 3; ++b) {
    const double nb = Eigen::Map<const Eigen::VectorXd>(h.b.data() + 1LL * b * m, m).norm();
    const double nc = Eigen::Map<const Eigen::VectorXd>(h.c.data() + 1LL * b * n, n).norm();
    EXPECT_NEAR(h.scale0[b], nc / nb, 1e-12 * nc / nb) << "instance " << b;
    EXPECT_DOUBLE_EQ(h.r[b * L + n + m - 1], 1.0 / h.scale0[b]) << "instance " << b;  // a cone row (not an equality)
  }
  EXPECT_NEAR(h.scale0[2], 40.0 * h.scale0[0], 1e-12 * h.scale0[2]);
  conic::Settings fixed;
  fixed.scale = 0.25;
  const auto prep_fixed = prepare_batch(batch, fixed, {}, out);
  for (double s0 : prep_fixed.data.scale0) EXPECT_EQ(s0, 0.25);
}

}  // namespace
