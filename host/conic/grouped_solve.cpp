#include "host/conic/grouped_solve.hpp"

#include <algorithm>
#include <stdexcept>

#include "host/common/errors.hpp"

namespace isacbf::conic {

std::vector<std::vector<std::size_t>> group_indices(std::size_t count, const std::function<bool(std::size_t, std::size_t)>& same) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < count; ++i) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const std::vector<std::size_t>& g) { return same(g.front(), i); });
    if (it == groups.end()) groups.push_back({i});
    else it->push_back(i);
  }
  return groups;
}

std::vector<std::vector<std::size_t>> structure_groups(const std::vector<ConicProblem>& problems, bool by_pattern) {
  return group_indices(problems.size(), [&](std::size_t a, std::size_t b) {
    return problems[a].cones == problems[b].cones && (!by_pattern || same_sparsity_pattern(problems[a].A, problems[b].A));
  });
}

std::vector<Solution> solve_each_group(const std::vector<std::vector<std::size_t>>& groups, const std::vector<ConicProblem>& problems,
                                       const std::vector<WarmStart>& warm_starts, const GroupSolve& solve_group) {
  std::vector<Solution> out(problems.size());
  for (const auto& members : groups) {
    std::vector<ConicProblem> batch;
    std::vector<WarmStart> warm;
    for (const std::size_t i : members) {
      batch.push_back(problems[i]);
      if (!warm_starts.empty()) warm.push_back(warm_starts[i]);
    }
    auto solutions = solve_group(batch, warm, members.front());
    if (solutions.size() != batch.size()) throw std::runtime_error("conic backend returned a wrong number of solutions");
    for (std::size_t j = 0; j < members.size(); ++j) out[members[j]] = std::move(solutions[j]);
  }
  return out;
}

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems, const Settings& settings,
                                    const std::vector<WarmStart>& warm_starts) {
  return solve_grouped(solver, problems, std::vector<Settings>(problems.size(), settings), warm_starts);
}

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems,
                                    const std::vector<Settings>& settings, const std::vector<WarmStart>& warm_starts) {
  validate_warm_starts(problems.size(), warm_starts);
  if (settings.size() != problems.size()) throw InputError("settings", "must hold one entry per problem");
  const auto groups = group_indices(problems.size(), [&](std::size_t a, std::size_t b) {
    return problems[a].cones == problems[b].cones && settings[a] == settings[b];
  });
  return solve_each_group(groups, problems, warm_starts,
                          [&](const std::vector<ConicProblem>& batch, const std::vector<WarmStart>& warm, std::size_t first) {
                            return solver.solve(batch, settings[first], warm);
                          });
}

}  // namespace isacbf::conic
