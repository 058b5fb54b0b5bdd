#include "host/conic/grouped_solve.hpp"

#include <algorithm>
#include <stdexcept>

#include "host/common/errors.hpp"

namespace isacbf::conic {

std::vector<std::vector<std::size_t>> structure_groups(const std::vector<ConicProblem>& problems, bool by_pattern) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const ConicProblem& p = problems[i];
    auto fits = [&](const std::vector<std::size_t>& g) {
      const ConicProblem& head = problems[g.front()];
      return p.cones == head.cones && (!by_pattern || same_sparsity_pattern(p.A, head.A));
    };
    auto it = std::find_if(groups.begin(), groups.end(), fits);
    if (it == groups.end()) groups.push_back({i});
    else it->push_back(i);
  }
  return groups;
}

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems, const Settings& settings,
                                    const std::vector<WarmStart>& warm_starts) {
  return solve_grouped(solver, problems, std::vector<Settings>(problems.size(), settings), warm_starts);
}

std::vector<Solution> solve_grouped(BatchSolver& solver, const std::vector<ConicProblem>& problems,
                                    const std::vector<Settings>& settings, const std::vector<WarmStart>& warm_starts) {
  validate_warm_starts(problems.size(), warm_starts);
  if (settings.size() != problems.size()) throw InputError("settings", "must hold one entry per problem");
  std::vector<Solution> out(problems.size());
  std::vector<bool> done(problems.size(), false);
  for (std::size_t first = 0; first < problems.size(); ++first) {
    if (done[first]) continue;
    std::vector<std::size_t> members;
    std::vector<ConicProblem> batch;
    std::vector<WarmStart> warm;
    for (std::size_t i = first; i < problems.size(); ++i) {
      if (done[i] || !(problems[i].cones == problems[first].cones) || !(settings[i] == settings[first])) continue;
      members.push_back(i);
      batch.push_back(problems[i]);
      if (!warm_starts.empty()) warm.push_back(warm_starts[i]);
      done[i] = true;
    }
    auto solutions = solver.solve(batch, settings[first], warm);
    if (solutions.size() != batch.size()) throw std::runtime_error("conic backend returned a wrong number of solutions");
    for (std::size_t j = 0; j < members.size(); ++j) out[members[j]] = std::move(solutions[j]);
  }
  return out;
}

}  // namespace isacbf::conic
