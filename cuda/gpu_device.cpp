// The process's GPU (host/common/gpu_device_choice.hpp): chosen once from --gpu-device, the launcher's
// local rank and the visible devices, then made current on every host thread that runs GPU work
// (cudaSetDevice is per thread).
#include <mutex>
#include <optional>

#include "cuda/check.hpp"
#include "cuda/gpu_api.hpp"
#include "host/common/errors.hpp"
#include "host/common/gpu_device_choice.hpp"

namespace isacbf::gpu {
namespace {

std::mutex g_mutex;
DeviceChoice g_choice;
std::optional<DeviceSelection> g_selection;  // resolved on first use

}  // namespace

void set_device_choice(const std::string& text) {
  const DeviceChoice choice = parse_device_choice(text);
  std::lock_guard<std::mutex> lock(g_mutex);
  g_choice = choice;
  g_selection.reset();
}

std::string use_selected_device() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_selection) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count < 1) throw GpuUnavailable("no CUDA device is present");
    g_selection = select_device(g_choice, local_rank_from_environment(), count);
  }
  check(cudaSetDevice(g_selection->device), "cudaSetDevice");
  return g_selection->reason;
}

}  // namespace isacbf::gpu
