#pragma once
// Runs model-B instance files through model_b::solve_instance: shared by `isacbf solve-b` and by
// `isacbf solve`, which sends model-B files here (formats.md: `solve` handles both models).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace isacbf::apps {

struct ModelBRunOptions {
  std::string scheme = "digital";  // a model_b::scheme_names() entry
  int n_rf = 0;                    // HAD: overrides the instance's N_RF when > 0
  bool full = false;               // include the design (W, S)
  double delta = 1e-3;             // FP stopping rule
  std::string solver = "auto";     // auto | admm | cvxopt | gpu (apps/model_b_solver_choice.hpp)
  double eps = 1e-6;               // ADMM tolerance
  std::string backend = "cpu";     // gpu: HAD analog steps on the GPU's batched Riemannian kernels
};

// One result JSON per file, in the order given; HAD files run as one lockstep batch
// (model_b::solve_instances). InputError (exit 2) names the option or the file; GpuUnavailable (exit 3)
// when backend gpu or solver gpu is asked for without a device.
std::vector<nlohmann::json> solve_model_b_files(const std::vector<std::string>& files, const ModelBRunOptions& options);

}  // namespace isacbf::apps
