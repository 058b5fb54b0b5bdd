#include "host/conic/batch_solver.hpp"

#include "host/common/errors.hpp"

namespace isacbf::conic {

Backend parse_backend(const std::string& name) {
  if (name == "cpu") return Backend::cpu;
  if (name == "gpu") return Backend::gpu;
  throw InputError("backend", "must be 'cpu' or 'gpu', got '" + name + "'");
}

const char* to_string(Backend backend) { return backend == Backend::gpu ? "gpu" : "cpu"; }

}  // namespace isacbf::conic
