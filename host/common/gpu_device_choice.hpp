#pragma once
// Which GPU a process uses (`--gpu-device`, docs/sweep.md "Several GPUs per server"). "auto" (the
// default) takes the launcher's node-local rank modulo the devices this process sees, so the ranks that
// mpirun or srun starts on one server spread over its GPUs instead of all running on device 0; without
// a launcher it is device 0. With CUDA_VISIBLE_DEVICES giving each rank one device, auto picks that
// one. A number picks that device. This is the pure logic; cuda/gpu_device.cpp makes the CUDA call.
#include <string>

namespace isacbf::gpu {

struct DeviceChoice {
  bool automatic = true;
  int index = 0;  // when !automatic
};

// "auto" or a device number; InputError("gpu-device") otherwise.
DeviceChoice parse_device_choice(const std::string& text);

struct LocalRank {
  int rank = 0;
  std::string source;  // the environment variable it came from; empty without a launcher
};

// OpenMPI (OMPI_COMM_WORLD_LOCAL_RANK), MPICH and Intel MPI (MPI_LOCALRANKID), SLURM (SLURM_LOCALID),
// first found; rank 0 and no source when none is set. InputError naming the variable when it is not a
// whole number.
LocalRank local_rank_from_environment();

struct DeviceSelection {
  int device = 0;
  std::string reason;  // e.g. "device 1 of 4 (local rank 5 from SLURM_LOCALID)"
};

// The device for this process among device_count >= 1 visible ones; InputError("gpu-device") when an
// explicit number is not below device_count.
DeviceSelection select_device(const DeviceChoice& choice, const LocalRank& local, int device_count);

}  // namespace isacbf::gpu
