#pragma once
// Hands a list of conic problems to a BatchSolver as few batches as possible: one call per distinct
// cone shape (a batch must share its ConeSpec). Solutions come back in the input order.
#include <vector>

#include "host/conic/batch_solver.hpp"

namespace isacbf::model_a {

std::vector<conic::Solution> solve_grouped(conic::BatchSolver& solver, const std::vector<conic::ConicProblem>& problems,
                                           const conic::Settings& settings,
                                           const std::vector<conic::WarmStart>& warm_starts = {});

}  // namespace isacbf::model_a
