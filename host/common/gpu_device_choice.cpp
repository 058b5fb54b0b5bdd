#include "host/common/gpu_device_choice.hpp"

#include <cstdlib>

#include "host/common/errors.hpp"
#include "host/common/whole_number.hpp"

namespace isacbf::gpu {

DeviceChoice parse_device_choice(const std::string& text) {
  if (text == "auto") return {};
  const long index = parse_whole_number(text);
  if (index < 0) throw InputError("gpu-device", "expected auto or a device number (0, 1, ...), got '" + text + "'");
  return {false, static_cast<int>(index)};
}

LocalRank local_rank_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"}) {
    const char* value = std::getenv(name);
    if (!value) continue;
    const long rank = parse_whole_number(value);
    if (rank < 0) throw InputError(name, std::string("expected the launcher's node-local rank (0, 1, ...), got '") + value + "'");
    return {static_cast<int>(rank), name};
  }
  return {};
}

DeviceSelection select_device(const DeviceChoice& choice, const LocalRank& local, int device_count) {
  const std::string of = " of " + std::to_string(device_count);
  if (!choice.automatic) {
    if (choice.index >= device_count)
      throw InputError("gpu-device", "device " + std::to_string(choice.index) + " does not exist: this process sees " +
                                         std::to_string(device_count) + " (numbered from 0)");
    return {choice.index, "device " + std::to_string(choice.index) + of + " (--gpu-device)"};
  }
  const int device = local.rank % device_count;
  const std::string why = local.source.empty() ? "no launcher's local rank" : "local rank " + std::to_string(local.rank) + " from " + local.source;
  return {device, "device " + std::to_string(device) + of + " (" + why + ")"};
}

}  // namespace isacbf::gpu
