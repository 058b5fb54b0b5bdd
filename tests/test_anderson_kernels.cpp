// kernels/anderson.hpp, the Anderson bookkeeping and small solve shared by the CPU reference and the GPU
// backend, against Eigen: the coefficients against a dense solve, the slot-by-slot normal matrix against
// M^T Y formed whole, the ring and the safeguard's decisions; the device's per-instance step against the CPU
// loop, and split over 32 lanes (threads standing in for the warp) against one lane.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <array>
#include <barrier>
#include <cmath>
#include <iostream>
#include <limits>
#include <thread>
#include <vector>

#include "host/conic/anderson.hpp"
#include "kernels/anderson.hpp"

namespace {
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace kn = isacbf::kernels;

// Row-major copy of the leading count x count block of M into a buffer of leading dimension ld.
std::vector<double> row_major(const MatrixXd& M, int ld) {
  std::vector<double> out(static_cast<size_t>(ld) * ld, std::nan(""));  // padding must not be read
  for (int i = 0; i < M.rows(); ++i)
    for (int j = 0; j < M.cols(); ++j) out[i * ld + j] = M(i, j);
  return out;
}

TEST(AndersonKernels, CoefficientsMatchADenseSolveForBothTypes) {
  std::srand(7);
  const int ld = 12;
  for (int count = 1; count <= 10; ++count) {
    for (bool type1 : {false, true}) {
      SCOPED_TRACE(testing::Message() << "count " << count << (type1 ? " type I" : " type II"));
      const MatrixXd Y = MatrixXd::Random(50, count);
      const MatrixXd S = MatrixXd::Random(50, count);
      const MatrixXd G = type1 ? MatrixXd(S.transpose() * Y) : MatrixXd(Y.transpose() * Y);
      const VectorXd rhs = VectorXd::Random(count);
      const double reg = 1e-8;
      MatrixXd reg_g = G;
      reg_g.diagonal().array() += reg * G.norm();
      const VectorXd want = reg_g.fullPivLu().solve(rhs);
      const std::vector<double> g = row_major(G, ld);
      std::vector<double> work(count * count), gamma(count);
      ASSERT_TRUE(kn::anderson_coefficients(count, ld, g.data(), rhs.data(), type1, reg, work.data(), gamma.data()));
      const VectorXd got = Eigen::Map<VectorXd>(gamma.data(), count);
      // the residual of the regularised system, relative to its scale (the condition number is modest here)
      EXPECT_LT((reg_g * got - rhs).norm(), 1e-10 * (reg_g.norm() * got.norm() + rhs.norm()));
      EXPECT_LT((got - want).norm(), 1e-8 * (1.0 + want.norm()));
    }
  }
}

TEST(AndersonKernels, TypeOnePivotsWhereTheLeadingEntryVanishes) {
  // [[0, 1], [1, 0]] gamma = (2, 3): no factorisation without a row exchange
  const double g[4] = {0.0, 1.0, 1.0, 0.0}, rhs[2] = {2.0, 3.0};
  double work[4], gamma[2];
  ASSERT_TRUE(kn::anderson_coefficients(2, 2, g, rhs, true, 0.0, work, gamma));
  EXPECT_DOUBLE_EQ(gamma[0], 3.0);
  EXPECT_DOUBLE_EQ(gamma[1], 2.0);
}

TEST(AndersonKernels, FailsOnSingularNonFiniteOrHugeCoefficients) {
  double work[4], gamma[2];
  const double singular[4] = {1.0, 1.0, 1.0, 1.0}, rhs[2] = {1.0, 2.0};
  EXPECT_FALSE(kn::anderson_coefficients(2, 2, singular, rhs, false, 0.0, work, gamma));
  EXPECT_FALSE(kn::anderson_coefficients(2, 2, singular, rhs, true, 0.0, work, gamma));
  const double nan_g[4] = {1.0, 0.0, 0.0, std::nan("")};
  EXPECT_FALSE(kn::anderson_coefficients(2, 2, nan_g, rhs, false, 1e-8, work, gamma));
  EXPECT_FALSE(kn::anderson_coefficients(2, 2, nan_g, rhs, true, 1e-8, work, gamma));
  const double tiny[4] = {1e-9, 0.0, 0.0, 1.0};  // gamma_0 = 1e9 > kAndersonMaxCoefficient
  EXPECT_FALSE(kn::anderson_coefficients(2, 2, tiny, rhs, false, 0.0, work, gamma));
  const double fine[4] = {1e-5, 0.0, 0.0, 1.0};  // gamma_0 = 1e5: accepted
  EXPECT_TRUE(kn::anderson_coefficients(2, 2, fine, rhs, false, 0.0, work, gamma));
  EXPECT_NEAR(gamma[0], 1e5, 1e-6);
}

TEST(AndersonKernels, SlotBySlotNormalMatrixEqualsTheWholeProduct) {
  // The GPU and the CPU keep G = M^T Y up to date one ring slot at a time; after every push (wrapping
  // the ring several times) it must equal the product formed from the stored columns.
  std::srand(11);
  const int memory = 4, dim = 30;
  for (bool type1 : {false, true}) {
    SCOPED_TRACE(type1 ? "type I" : "type II");
    kn::AndersonState st;
    MatrixXd S = MatrixXd::Zero(dim, memory), Y = MatrixXd::Zero(dim, memory);
    std::vector<double> g(memory * memory, 0.0);
    for (int step = 0; step < 11; ++step) {
      const int j = kn::anderson_push(st, memory);
      EXPECT_EQ(j, step % memory);
      EXPECT_EQ(st.count, std::min(step + 1, memory));
      S.col(j) = VectorXd::Random(dim);
      Y.col(j) = VectorXd::Random(dim);
      const MatrixXd& M = type1 ? S : Y;
      for (int i = 0; i < st.count; ++i)
        kn::anderson_gram_set(g.data(), memory, i, j, M.col(i).dot(Y.col(j)), M.col(j).dot(Y.col(i)));
      const MatrixXd want = M.leftCols(st.count).transpose() * Y.leftCols(st.count);
      for (int a = 0; a < st.count; ++a)
        for (int b = 0; b < st.count; ++b) EXPECT_NEAR(g[a * memory + b], want(a, b), 1e-12 * (1.0 + std::abs(want(a, b))));
    }
  }
}

TEST(AndersonKernels, SafeguardRejectsOnlyTheStepAfterAnExtrapolation) {
  kn::AndersonState st;
  st.fnorm_prev = 1.0;
  EXPECT_FALSE(kn::anderson_rejects(st, 100.0, 5.0));  // no extrapolation pending
  st.last_was_aa = 1;
  EXPECT_FALSE(kn::anderson_rejects(st, 5.0, 5.0));
  EXPECT_TRUE(kn::anderson_rejects(st, 5.0001, 5.0));
  st.count = 3;
  st.have_prev = 1;
  kn::anderson_on_reject(st, false);
  EXPECT_EQ(st.last_was_aa, 0);
  EXPECT_EQ(st.rejected, 1);
  EXPECT_EQ(st.count, 3);  // memory kept
  st.last_was_aa = 1;
  kn::anderson_on_reject(st, true);
  EXPECT_EQ(st.rejected, 2);
  EXPECT_EQ(st.count, 0);
  EXPECT_EQ(st.have_prev, 0);
}

TEST(AndersonKernels, ClassStepEqualsTheLeastSquaresExtrapolation) {
  // Type II from the definition: gamma = argmin ||f_k - Y gamma|| (reg 0), w+ = T(w_k) - (S + Y) gamma,
  // on a linear map, with the pairs formed here independently of the class.
  std::srand(3);
  const int dim = 20, memory = 5;
  const MatrixXd T = 0.9 * MatrixXd::Random(dim, dim) / std::sqrt(static_cast<double>(dim));
  const VectorXd q = VectorXd::Random(dim);
  isacbf::conic::Anderson aa(dim, memory, false, 0.0);
  std::vector<VectorXd> ws, fs;
  VectorXd w = VectorXd::Random(dim), out;
  for (int k = 0; k < 9; ++k) {
    const VectorXd Tw = T * w + q;
    const VectorXd f = Tw - w;
    ws.push_back(w);
    fs.push_back(f);
    const bool extrapolated = aa.step(w, Tw, f.norm(), out);
    const int pairs = std::min(k, memory);
    EXPECT_EQ(extrapolated, pairs > 0);
    if (pairs > 0) {
      MatrixXd S(dim, pairs), Y(dim, pairs);
      for (int i = 0; i < pairs; ++i) {
        const int a = k - pairs + i;
        S.col(i) = ws[a + 1] - ws[a];
        Y.col(i) = fs[a + 1] - fs[a];
      }
      const VectorXd gamma = Y.colPivHouseholderQr().solve(f);
      const VectorXd want = Tw - (S + Y) * gamma;
      EXPECT_LT((out - want).norm(), 1e-8 * (1.0 + want.norm())) << "step " << k;
    }
    w = out;
  }
  EXPECT_EQ(aa.state().accepted, 8);
}

// The lanes of a warp as threads: `count` threads run the same per-instance step, each on the elements
// lane, lane + count, ... (the GPU's WarpLanes with count 32); sum() gives every lane the same total (a fixed
// order over the lanes, as the warp's butterfly gives every lane the same bits), sync() is a barrier and
// from_leader() broadcasts lane 0's value. A lane that skipped a collective the others reach would hang here
// (and be undefined on the GPU).
struct ThreadLanes {
  static constexpr int kMaxSums = 4;
  struct Shared {
    explicit Shared(int count) : barrier(count), partial(count) {}
    std::barrier<> barrier;
    std::vector<std::array<double, kMaxSums>> partial;
    int broadcast = 0;
  };
  int lane, count;
  Shared* shared;
  int first() const { return lane; }
  int stride() const { return count; }
  template <int K>
  void sum(double (&v)[K]) const {
    static_assert(K <= kMaxSums);
    for (int k = 0; k < K; ++k) shared->partial[lane][k] = v[k];
    shared->barrier.arrive_and_wait();
    for (int k = 0; k < K; ++k) {
      double total = 0.0;
      for (int l = 0; l < count; ++l) total += shared->partial[l][k];
      v[k] = total;
    }
    shared->barrier.arrive_and_wait();  // every lane has read before the next sum writes
  }
  void sync() const { shared->barrier.arrive_and_wait(); }
  int from_leader(int v) const {
    if (leader()) shared->broadcast = v;
    shared->barrier.arrive_and_wait();
    const int out = shared->broadcast;
    shared->barrier.arrive_and_wait();
    return out;
  }
  bool leader() const { return lane == 0; }
};

// The device's per-instance step (kernels::anderson_after_update, run by k_anderson with a warp) with one
// lane, against the CPU's Anderson class driven in host/conic/admm.cpp's order, on the fixed-point map
// w -> max(M w + q, 0) (with kinks), the safeguard strict enough to fire. The device
// step sees what k_update leaves: w = T(w_k), u - ut = (T(w_k) - w_k) / alpha.
struct DeviceEmulation {
  kn::AndersonConfig cfg;
  kn::AndersonState state;
  std::vector<double> S, Y, w_prev, f_prev, tw_saved, gram, work;
  DeviceEmulation(const kn::AndersonConfig& c, int L)
      : cfg(c),
        S(static_cast<size_t>(c.memory) * L),
        Y(S.size()),
        w_prev(L),
        f_prev(L),
        tw_saved(L),
        gram(static_cast<size_t>(c.memory) * c.memory),
        work(static_cast<size_t>(c.memory) * c.memory + 2 * c.memory) {}
  // One iteration: w (in: w_k, out: the next input), Tw = T(w_k); also checks rhs = r o w. With lanes > 1
  // the step runs on that many threads (ThreadLanes).
  void iterate(VectorXd& w, const VectorXd& Tw, bool extrapolate, int lanes = 1) {
    const int L = static_cast<int>(w.size());
    const VectorXd r = VectorXd::LinSpaced(L, 0.5, 2.0);
    const VectorXd ut = VectorXd::Constant(L, 0.25);
    const VectorXd u = ut + (Tw - w) / cfg.alpha;
    VectorXd wd = Tw, rhs = r.cwiseProduct(Tw);
    const kn::AndersonBuffers buf{S.data(), Y.data(), w_prev.data(), f_prev.data(), tw_saved.data(), gram.data(),
                                  work.data()};
    if (lanes == 1) {
      kn::anderson_after_update(kn::SerialLanes{}, &state, cfg, buf, L, extrapolate, r.data(), u.data(), ut.data(),
                                wd.data(), rhs.data());
    } else {
      ThreadLanes::Shared shared(lanes);
      std::vector<std::thread> threads;
      for (int lane = 0; lane < lanes; ++lane)
        threads.emplace_back([&, lane] {
          kn::anderson_after_update(ThreadLanes{lane, lanes, &shared}, &state, cfg, buf, L, extrapolate, r.data(),
                                    u.data(), ut.data(), wd.data(), rhs.data());
        });
      for (auto& t : threads) t.join();
    }
    EXPECT_LT((rhs - r.cwiseProduct(wd)).norm(), 1e-14 * (1.0 + rhs.norm()));
    w = wd;
  }
};

TEST(AndersonKernels, DeviceStepFollowsTheCpuLoop) {
  const int L = 24;
  std::srand(19);
  const MatrixXd M = 0.97 * MatrixXd::Random(L, L) / std::sqrt(static_cast<double>(L));
  const VectorXd q = VectorXd::Random(L);
  auto T = [&](const VectorXd& w) { return VectorXd((M * w + q).cwiseMax(0.0)); };
  int rejections_seen = 0;
  for (bool type1 : {false, true})
    for (bool reset : {false, true})
      for (double safeguard : {0.3, 5.0}) {  // 0.3: the residual must shrink 3x, so some steps are undone
        SCOPED_TRACE(testing::Message() << (type1 ? "type I" : "type II") << (reset ? ", reset" : "")
                                        << ", safeguard " << safeguard);
        kn::AndersonConfig cfg;
        cfg.memory = 4;  // wraps the ring several times in 80 iterations
        cfg.type1 = type1;
        cfg.reset_on_reject = reset;
        cfg.reg = 1e-10;
        cfg.safeguard = safeguard;
        cfg.alpha = 1.5;
        const int interval = 3;
        isacbf::conic::Anderson cpu(L, cfg.memory, type1, cfg.reg, safeguard, reset);
        DeviceEmulation dev(cfg, L);
        VectorXd w_cpu = VectorXd::Zero(L), w_dev = w_cpu;
        int k = 0;
        for (; k < 200; ++k) {
          // the CPU: admm.cpp's two calls (no checks here)
          const VectorXd Tw = T(w_cpu);
          const double fnorm = (Tw - w_cpu).norm();
          // Near the fixed point the safeguard's comparison is between rounding errors, which the two
          // backends make differently: stop well above that.
          if (fnorm < 1e-8) break;
          if (!cpu.undo_if_rejected(fnorm, w_cpu)) cpu.advance(k, interval, Tw, fnorm, w_cpu);
          // the device's step from its own iterate, which must stay the CPU's
          dev.iterate(w_dev, T(w_dev), k % interval == 0);
          ASSERT_LT((w_dev - w_cpu).norm(), 1e-9 * (1.0 + w_cpu.norm())) << "iteration " << k;
          ASSERT_EQ(dev.state.accepted, cpu.state().accepted) << "iteration " << k;
          ASSERT_EQ(dev.state.rejected, cpu.state().rejected) << "iteration " << k;
          ASSERT_EQ(dev.state.count, cpu.state().count) << "iteration " << k;
        }
        EXPECT_LT(k, 200) << "did not converge";
        EXPECT_GE(cpu.state().accepted, 3);
        std::cout << "[ anderson ] " << k << " iterations, " << cpu.state().accepted << " extrapolations, "
                  << cpu.state().rejected << " rejected\n";
        rejections_seen += cpu.state().rejected;
      }
  EXPECT_GT(rejections_seen, 0);  // the safeguard's branch was exercised
}

// The step split over 32 lanes (the warp's split, as threads) gives the one-lane step: the same states and
// counters, iterates equal to rounding (the sums add in another order). L = 24 leaves lanes without
// elements, L = 70 gives lanes 2 or 3 each.
TEST(AndersonKernels, WarpSplitStepEqualsTheOneLaneStep) {
  for (int L : {24, 70}) {
    std::srand(23 + L);
    const MatrixXd M = 0.97 * MatrixXd::Random(L, L) / std::sqrt(static_cast<double>(L));
    const VectorXd q = VectorXd::Random(L);
    auto T = [&](const VectorXd& w) { return VectorXd((M * w + q).cwiseMax(0.0)); };
    for (bool type1 : {false, true})
      for (double safeguard : {0.3, 5.0}) {
        SCOPED_TRACE(testing::Message() << "L " << L << (type1 ? ", type I" : ", type II") << ", safeguard " << safeguard);
        kn::AndersonConfig cfg;
        cfg.memory = 4;
        cfg.type1 = type1;
        cfg.reg = 1e-10;
        cfg.safeguard = safeguard;
        cfg.alpha = 1.5;
        DeviceEmulation one(cfg, L), warp(cfg, L);
        VectorXd w_one = VectorXd::Zero(L), w_warp = w_one;
        int k = 0;
        for (; k < 120; ++k) {
          const VectorXd Tw = T(w_one);
          if ((Tw - w_one).norm() < 1e-8) break;
          one.iterate(w_one, Tw, k % 3 == 0);
          warp.iterate(w_warp, T(w_warp), k % 3 == 0, 32);
          ASSERT_LT((w_warp - w_one).norm(), 1e-9 * (1.0 + w_one.norm())) << "iteration " << k;
          ASSERT_EQ(warp.state.accepted, one.state.accepted) << "iteration " << k;
          ASSERT_EQ(warp.state.rejected, one.state.rejected) << "iteration " << k;
          ASSERT_EQ(warp.state.count, one.state.count) << "iteration " << k;
          ASSERT_EQ(warp.state.last_was_aa, one.state.last_was_aa) << "iteration " << k;
        }
        EXPECT_LT(k, 120) << "did not converge";
        EXPECT_GE(one.state.accepted, 3);
      }
  }
}

}  // namespace
