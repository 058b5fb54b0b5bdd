#pragma once
// Shared by `solve-b`, `solve` (model-B files) and `sweep`: model B's conic solver by name.
#include <memory>
#include <string>

#include "host/common/errors.hpp"
#include "host/conic/batch_solver.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/model_b/solve.hpp"

namespace isacbf::apps {

// "auto" (model_b::default_solver: CVXOPT when installed, else the CPU ADMM), "admm" (the CPU reference),
// "cvxopt" (interior point) or "gpu" (the GPU's batched ADMM: each lockstep round's conic steps as device
// batches; GpuUnavailable, exit 3, without a device). Anything else: InputError(field), exit 2.
inline std::shared_ptr<conic::BatchSolver> model_b_solver(const std::string& name, const std::string& field) {
  if (name == "auto") return model_b::default_solver();
  if (name == "admm") return conic::make_cpu_solver();
  if (name == "cvxopt") return std::make_shared<crosscheck::CvxoptSolver>();
  if (name == "gpu") return conic::make_gpu_solver();
  throw InputError(field, "must be 'auto', 'admm', 'cvxopt' or 'gpu', got '" + name + "'");
}

}  // namespace isacbf::apps
