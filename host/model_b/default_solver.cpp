// Which conic solver model B uses by default. Until branch `conic` (make_cpu_solver) is merged this is
// the CVXOPT bridge; afterwards conic::make_cpu_solver().
#include "host/model_b/solve.hpp"
#include "host/xcheck/cvxopt_solver.hpp"

namespace isacbf::model_b {

std::shared_ptr<conic::BatchSolver> default_solver() { return std::make_shared<xcheck::CvxoptSolver>(); }

}  // namespace isacbf::model_b
