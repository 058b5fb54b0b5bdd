#pragma once
// Hands a list of conic problems to a BatchSolver as few batches as possible: one call per distinct
// cone shape (a batch must share its ConeSpec) and, in the second form, settings. Solutions come back
// in the input order. Used by model A's SCA and model B's lockstep FP rounds.
#include <cstddef>
#include <functional>
#include <vector>

#include "host/conic/batch_solver.hpp"

namespace isacbf::conic {

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems, const Settings& settings,
                                    const std::vector<WarmStart>& warm_starts = {});

// Indices 0..count-1 grouped by `same` (an equivalence): groups in order of first appearance, indices
// ascending within a group.
std::vector<std::vector<std::size_t>> group_indices(std::size_t count, const std::function<bool(std::size_t, std::size_t)>& same);

// Indices of the problems grouped so that each group shares its cone shape and, with by_pattern, the
// dimensions and sparsity pattern of A (same_sparsity_pattern): what one device batch of the GPU backend
// needs. Groups as group_indices gives them.
std::vector<std::vector<std::size_t>> structure_groups(const std::vector<ConicProblem>& problems, bool by_pattern);

// Solves each group as one call solve_group(its problems, their warm starts or none, the group's first
// index) and returns the solutions in the input order (the gather and scatter of solve_grouped and of the
// GPU backend's split). std::runtime_error when a call returns a wrong number of solutions.
using GroupSolve = std::function<std::vector<Solution>(const std::vector<ConicProblem>&, const std::vector<WarmStart>&, std::size_t)>;
std::vector<Solution> solve_each_group(const std::vector<std::vector<std::size_t>>& groups, const std::vector<ConicProblem>& problems,
                                       const std::vector<WarmStart>& warm_starts, const GroupSolve& solve_group);

// settings[i] is problem i's (one entry per problem).
std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems,
                                    const std::vector<Settings>& settings, const std::vector<WarmStart>& warm_starts = {});

}  // namespace isacbf::conic
