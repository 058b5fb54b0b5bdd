#pragma once
// Shared by `solve` and `sweep`: the --backend choice (cpu | gpu | cvxopt) and SCA options from the CLI.
#include <memory>
#include <string>

#include "host/conic/batch_solver.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"
#include "host/common/errors.hpp"

namespace isacbf::apps {

struct SolverChoice {
  std::unique_ptr<conic::BatchSolver> solver;
  std::string backend;  // the result's "backend" (cpu | gpu)
  std::string detail;   // the result's "solver" ("conic" or "cvxopt")
};

// cpu and gpu go to the conic backends (gpu throws GpuUnavailable -> exit 3 without CUDA);
// cvxopt is the interior-point cross-check bridge (reported as backend cpu, solver cvxopt).
inline SolverChoice choose_solver(const std::string& name) {
  SolverChoice c;
  if (name == "cvxopt") {
    if (!crosscheck::cvxopt_available())
      throw InputError("backend", "cvxopt needs /usr/bin/python3 with cvxopt and numpy");
    c.solver = std::make_unique<crosscheck::CvxoptSolver>(crosscheck::CvxoptOptions::ill_conditioned());
    c.backend = "cpu";
    c.detail = "cvxopt";
    return c;
  }
  const conic::Backend b = conic::parse_backend(name);
  c.solver = conic::make_solver(b);
  c.backend = conic::to_string(b);
  c.detail = "conic";
  return c;
}

}  // namespace isacbf::apps
