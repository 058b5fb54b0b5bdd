// TEMPORARY (branch model-a only): until branch `conic` provides make_cpu_solver(), the CPU backend
// is the CVXOPT bridge so that model A runs end to end. Deleted when `conic` is merged.
#include "host/conic/batch_solver.hpp"
#include "host/crosscheck/cvxopt_solver.hpp"

namespace isacbf::conic {
std::unique_ptr<BatchSolver> make_cpu_solver() { return crosscheck::make_cvxopt_solver(); }
}  // namespace isacbf::conic
