// Which conic solver model B uses by default: the CVXOPT bridge (interior point; its designs meet the
// constraints to ~1e-8) when Debian's python3-cvxopt is installed, else the CPU ADMM reference
// (conic::make_cpu_solver; use eps 1e-6, see FpOptions).
#include "host/model_b/solve.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"

namespace isacbf::model_b {

std::shared_ptr<conic::BatchSolver> default_solver() {
  static const bool have_cvxopt = crosscheck::cvxopt_available();
  if (have_cvxopt) return std::make_shared<crosscheck::CvxoptSolver>();
  return conic::make_cpu_solver();
}

}  // namespace isacbf::model_b
