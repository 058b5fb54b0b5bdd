// The GPU backend against the CPU reference on the same instances: every cone type, the SDPLIB subset
// and random batches. Same statuses; objectives within 1e-6 relative; with the CPU's extras off
// (Anderson, adaptive scale) the two run the same iteration, so iteration counts agree too.
#include <gtest/gtest.h>

#ifdef ISACBF_HAVE_CUDA
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cuda/check.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "tests/gpu/gpu_test_problems.hpp"

namespace {
using namespace isacbf::conic;

class GpuVsCpu : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isacbf::gpu::device_present()) GTEST_SKIP() << "no CUDA device";
    gpu_ = make_gpu_solver();
    cpu_ = make_cpu_solver();
  }
  std::unique_ptr<BatchSolver> gpu_, cpu_;
};

Settings tight() {
  Settings s;
  s.eps_abs = s.eps_rel = 1e-8;
  s.max_iters = 200000;
  return s;
}

bool close(double a, double b, double rel) { return std::abs(a - b) <= rel * (1.0 + std::max(std::abs(a), std::abs(b))); }

TEST_F(GpuVsCpu, EveryConeTypeWithCpuDefaults) {
  for (const auto& t : gpu_test::cone_problems()) {
    SCOPED_TRACE(t.name);
    const auto c = cpu_->solve({t.problem}, tight()).at(0);
    const auto g = gpu_->solve({t.problem}, tight()).at(0);
    ASSERT_EQ(g.status, c.status) << "gpu " << to_string(g.status) << " cpu " << to_string(c.status) << " " << g.message;
    if (c.status == Status::optimal) {
      EXPECT_TRUE(close(g.primal_objective, c.primal_objective, 1e-6)) << g.primal_objective << " vs " << c.primal_objective;
      EXPECT_TRUE(close(g.primal_objective, t.optimum, 1e-6)) << g.primal_objective << " vs " << t.optimum;
    }
  }
}

TEST_F(GpuVsCpu, SameIterationWithoutAndersonAndAdaptiveScale) {
  Settings st = tight();
  st.eps_abs = st.eps_rel = 1e-7;
  st.anderson_memory = 0;
  st.adaptive_scale = false;
  for (const auto& t : gpu_test::cone_problems()) {
    SCOPED_TRACE(t.name);
    const auto c = cpu_->solve({t.problem}, st).at(0);
    const auto g = gpu_->solve({t.problem}, st).at(0);
    ASSERT_EQ(g.status, c.status);
    // The same iterates up to rounding: the same check decides (a check is every 25 iterations).
    EXPECT_NEAR(g.iterations, c.iterations, st.check_interval);
    if (c.status == Status::optimal) {
      EXPECT_TRUE(close(g.primal_objective, c.primal_objective, 1e-6));
    }
  }
}

TEST_F(GpuVsCpu, RandomBatchOfModelAShapedInstances) {
  std::vector<ConicProblem> batch;
  for (int i = 0; i < 64; ++i) batch.push_back(isacbf::bench::synthetic_p4(3, 4, 500 + i).problem);
  const auto c = cpu_->solve(batch, tight());
  const auto g = gpu_->solve(batch, tight());
  for (size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    ASSERT_EQ(g[i].status, c[i].status);
    EXPECT_TRUE(close(g[i].primal_objective, c[i].primal_objective, 1e-6));
  }
}

TEST_F(GpuVsCpu, InvalidInstanceIsReportedAndTheRestSolved) {
  std::vector<ConicProblem> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(isacbf::bench::synthetic_p4(2, 4, 900 + i).problem);
  batch[1].b[0] = std::nan("");
  const auto g = gpu_->solve(batch, tight());
  EXPECT_EQ(g[1].status, Status::numerical_error);
  EXPECT_NE(g[1].message.find("batch[1]"), std::string::npos) << g[1].message;
  EXPECT_EQ(g[0].status, Status::optimal);
  EXPECT_EQ(g[2].status, Status::optimal);
}

std::string sdplib_dir() {
  if (const char* env = std::getenv("ISACBF_SDPLIB")) return env;
  return ISACBF_SOURCE_DIR "/../shared/sdplib";
}

TEST_F(GpuVsCpu, SdplibSubset) {
  const std::string dir = sdplib_dir();
  int ran = 0;
  for (const std::string name : {"truss1", "truss4", "control1", "hinf1"}) {
    const std::string path = dir + "/" + name + ".dat-s";
    if (!std::filesystem::exists(path)) continue;
    SCOPED_TRACE(name);
    const ConicProblem p = read_sdpa(path);
    Settings st;
    st.eps_abs = st.eps_rel = 1e-7;
    st.max_iters = 100000;
    const auto c = cpu_->solve({p}, st).at(0);
    const auto g = gpu_->solve({p}, st).at(0);
    ASSERT_EQ(g.status, c.status) << g.message;
    if (c.status == Status::optimal) {
      EXPECT_TRUE(close(g.primal_objective, c.primal_objective, 1e-5));
    }
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "SDPLIB files absent in " << dir;
}

}  // namespace
#else
TEST(GpuVsCpu, SkippedWithoutCuda) { GTEST_SKIP() << "built without CUDA"; }
#endif
