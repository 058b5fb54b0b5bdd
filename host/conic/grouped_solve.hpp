#pragma once
// Hands a list of conic problems to a BatchSolver as few batches as possible: one call per distinct
// cone shape (a batch must share its ConeSpec) and, in the second form, settings. Solutions come back
// in the input order. Used by model A's SCA and model B's lockstep FP rounds.
#include <vector>

#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems, const Settings& settings,
                                    const std::vector<WarmStart>& warm_starts = {});

// Indices of the problems grouped so that each group shares its cone shape and, with by_pattern, the
// dimensions and sparsity pattern of A (same_sparsity_pattern): what one device batch of the GPU backend
// needs. Groups in order of first appearance, indices ascending within a group.
std::vector<std::vector<std::size_t>> structure_groups(const std::vector<ConicProblem>& problems, bool by_pattern);

// settings[i] is problem i's (one entry per problem).
std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems,
                                    const std::vector<Settings>& settings, const std::vector<WarmStart>& warm_starts = {});

}  // namespace isacbf::conic
