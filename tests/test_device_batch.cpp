// How the GPU backend cuts a batch to fit the device (host/conic/device_batch.hpp), on the host: the cut of
// a group, the capacity of a device batch, and the per-instance estimate against the buffers the device
// ADMM is known to allocate. The cut's effect on results is checked on a device
// (GpuAdmm.BatchCutIntoDeviceBatchesMatchesOneDeviceBatch).
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <string>

#include "host/common/errors.hpp"
#include "host/conic/device_batch.hpp"
#include "tests/cli_test_util.hpp"

using namespace isacbf::conic;

TEST(DeviceBatch, CutKeepsTheOrderAndStaysWithinTheCapacity) {
  for (const std::size_t count : {1u, 5u, 10u, 97u, 1000u}) {
    for (const std::size_t capacity : {1u, 2u, 3u, 4u, 64u, 2000u}) {
      std::vector<std::size_t> members(count);
      std::iota(members.begin(), members.end(), 100);
      const auto pieces = cut_group(members, capacity);
      EXPECT_EQ(pieces.size(), (count + capacity - 1) / capacity) << count << " / " << capacity;
      std::vector<std::size_t> joined;
      std::size_t smallest = count, largest = 0;
      for (const auto& piece : pieces) {
        EXPECT_LE(piece.size(), capacity);
        smallest = std::min(smallest, piece.size());
        largest = std::max(largest, piece.size());
        joined.insert(joined.end(), piece.begin(), piece.end());
      }
      EXPECT_EQ(joined, members) << count << " / " << capacity;
      EXPECT_LE(largest - smallest, 1u) << "as even as the capacity allows";
    }
  }
}

TEST(DeviceBatch, CapacityIsWhatFitsNinetyPercentOfTheFreeMemory) {
  EXPECT_EQ(device_batch_capacity(1e9, 1e6, 0), 900u);
  EXPECT_EQ(device_batch_capacity(1e9, 1e6, 10), 10u) << "Settings::gpu_max_batch bounds it";
  EXPECT_EQ(device_batch_capacity(1e9, 1e6, 5000), 900u);
  EXPECT_EQ(device_batch_capacity(1e6, 1e9, 0), 1u) << "one instance at least: the device names its own failure";
  EXPECT_EQ(device_batch_capacity(0.0, 1e6, 0), 1u);
}

// At least the buffers cuda/admm_batched.cu allocates per instance: the six iterate-length vectors, A's
// values twice, the p x p Woodbury factor; and Anderson's pairs, (2 memory + 3) iterate-length vectors
// (the figure its out-of-memory message gives).
TEST(DeviceBatch, EstimateCoversTheDeviceBuffersPerInstance) {
  ConicProblem p;
  p.cones.nonneg = 30;
  p.cones.psd_real = {6};
  const int m = 30 + 21, n = 12;
  Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(m, n);
  for (int j = 0; j < n; ++j) dense(j, j) = -1.0;                                  // single-entry rows
  for (int i = n; i < m; ++i) dense(i, i % n) = dense(i, (i + 1) % n) = 0.5;      // rows with two entries
  p.A = dense.sparseView();
  p.b = Eigen::VectorXd::Ones(m);
  p.c = Eigen::VectorXd::Ones(n);
  const double length = m + n + 1, rows_with_two = m - n;
  Settings st;
  st.anderson_memory = 0;
  const double plain = device_bytes_per_instance(p, st);
  EXPECT_GE(plain, 8.0 * (6.0 * length + 2.0 * static_cast<double>(p.A.nonZeros()) + rows_with_two * rows_with_two));
  st.anderson_memory = 10;
  EXPECT_GE(device_bytes_per_instance(p, st) - plain, 8.0 * (2.0 * 10 + 3.0) * length);
}

TEST(DeviceBatch, MaxBatchIsValidatedAndGpuOnlyInTheCli) {
  Settings st;
  st.gpu_max_batch = -1;
  try {
    validate(st);
    ADD_FAILURE() << "a negative gpu_max_batch must throw";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "settings.gpu_max_batch");
  }
  const auto file = isacbf::testing::test_dir() / "lp.dat-s";
  std::ofstream(file) << "1\n1\n1\n1.0\n0 1 1 1 1.0\n1 1 1 1 1.0\n";  // min x s.t. x >= 1
  ASSERT_EQ(isacbf::testing::run_isacbf("conic " + file.string()).code, 0);
  const auto cpu = isacbf::testing::run_isacbf("conic " + file.string() + " --gpu-max-batch 2");
  EXPECT_EQ(cpu.code, 2);
  EXPECT_NE(cpu.err.find("--gpu-max-batch"), std::string::npos) << cpu.err;
}
