#pragma once
// `--gpu-device auto|N` for the commands that can run on the GPU (solve, sweep, bench): which device
// this process uses (host/common/gpu_device_choice.hpp). Checked while the command line is parsed.
#include <CLI/CLI.hpp>
#include <string>

#include "cuda/gpu_api.hpp"

namespace isacbf::apps {

inline void add_gpu_device_option(CLI::App& cmd) {
  cmd.add_option_function<std::string>(
      "--gpu-device", [](const std::string& text) { gpu::set_device_choice(text); },
      "GPU of this process: auto (default: the launcher's node-local rank modulo the visible devices, "
      "so mpirun/srun ranks spread over a server's GPUs; device 0 without a launcher) or a device number");
}

}  // namespace isacbf::apps
