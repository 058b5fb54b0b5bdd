// Which GPU a process takes (host/common/gpu_device_choice.hpp): the option's parsing, the launcher's
// node-local rank from the environment, the device it maps to, and `--gpu-device` on the command line
// (bad values exit 2 before any work; without a usable GPU the GPU backend still exits 3).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "cli_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/common/gpu_device_choice.hpp"
#include "tests/input_error_field.hpp"

using namespace isacbf::gpu;
using isacbf::testing::field_of;

namespace {

const char* const kLauncherVariables[] = {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"};

// Clears the launcher variables for the test and restores none (the test binary runs without a launcher).
struct CleanEnvironment {
  CleanEnvironment() {
    for (const char* v : kLauncherVariables) unsetenv(v);
  }
  ~CleanEnvironment() {
    for (const char* v : kLauncherVariables) unsetenv(v);
  }
};

}  // namespace

TEST(GpuDeviceChoice, ParsesAutoAndDeviceNumbers) {
  EXPECT_TRUE(parse_device_choice("auto").automatic);
  const DeviceChoice three = parse_device_choice("3");
  EXPECT_FALSE(three.automatic);
  EXPECT_EQ(three.index, 3);
  for (const char* bad : {"", "x", "-1", "1.5", " 1", "+2", "AUTO", "99999999999"})
    EXPECT_EQ(field_of([&] { parse_device_choice(bad); }), "gpu-device") << bad;
}

TEST(GpuDeviceChoice, LocalRankComesFromTheFirstLauncherVariableSet) {
  CleanEnvironment clean;
  LocalRank none = local_rank_from_environment();
  EXPECT_EQ(none.rank, 0);
  EXPECT_TRUE(none.source.empty());
  setenv("SLURM_LOCALID", "5", 1);
  EXPECT_EQ(local_rank_from_environment().rank, 5);
  EXPECT_EQ(local_rank_from_environment().source, "SLURM_LOCALID");
  setenv("OMPI_COMM_WORLD_LOCAL_RANK", "2", 1);  // OpenMPI's is read first
  EXPECT_EQ(local_rank_from_environment().rank, 2);
  EXPECT_EQ(local_rank_from_environment().source, "OMPI_COMM_WORLD_LOCAL_RANK");
  unsetenv("OMPI_COMM_WORLD_LOCAL_RANK");
  setenv("MPI_LOCALRANKID", "oops", 1);
  EXPECT_EQ(field_of([] { local_rank_from_environment(); }), "MPI_LOCALRANKID");
}

TEST(GpuDeviceChoice, AutoSpreadsLocalRanksOverTheVisibleDevices) {
  const DeviceChoice automatic;
  for (int rank = 0; rank < 10; ++rank) EXPECT_EQ(select_device(automatic, {rank, "SLURM_LOCALID"}, 4).device, rank % 4);
  // CUDA_VISIBLE_DEVICES giving each rank its own device: every rank takes the one it sees.
  EXPECT_EQ(select_device(automatic, {3, "OMPI_COMM_WORLD_LOCAL_RANK"}, 1).device, 0);
  const DeviceSelection alone = select_device(automatic, {}, 2);
  EXPECT_EQ(alone.device, 0);
  EXPECT_NE(alone.reason.find("no launcher"), std::string::npos) << alone.reason;
  EXPECT_EQ(select_device(automatic, {5, "SLURM_LOCALID"}, 4).reason, "device 1 of 4 (local rank 5 from SLURM_LOCALID)");
}

TEST(GpuDeviceChoice, ExplicitDeviceMustExist) {
  EXPECT_EQ(select_device(parse_device_choice("1"), {3, "SLURM_LOCALID"}, 2).device, 1) << "an explicit number wins over the rank";
  EXPECT_EQ(field_of([] { select_device(parse_device_choice("2"), {}, 2); }), "gpu-device");
}

TEST(GpuDeviceChoice, CommandLineChecksTheOptionBeforeAnyWork) {
  const auto bad = isacbf::testing::run_isacbf("solve /nonexistent.json --backend gpu --gpu-device first");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("'gpu-device'"), std::string::npos) << bad.err;
  const auto sweep = isacbf::testing::run_isacbf("sweep /nonexistent.json -o /tmp/none --gpu-device 3x");
  EXPECT_NE(sweep.err.find("'gpu-device'"), std::string::npos) << sweep.err;
  EXPECT_EQ(sweep.code, 2) << sweep.err;
  const auto bench = isacbf::testing::run_isacbf("bench --manifold --no-gpu --gpu-device x1");
  EXPECT_EQ(bench.code, 2);
  EXPECT_NE(bench.err.find("'gpu-device'"), std::string::npos) << bench.err;
}
