#include "host/model_a/grouped_solve.hpp"

#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

std::vector<conic::Solution> solve_grouped(conic::BatchSolver& solver, const std::vector<conic::ConicProblem>& problems,
                                           const conic::Settings& settings,
                                           const std::vector<conic::WarmStart>& warm_starts) {
  if (!warm_starts.empty() && warm_starts.size() != problems.size())
    throw InputError("warm_starts", "must be empty or hold one entry per problem");
  std::vector<conic::Solution> out(problems.size());
  std::vector<bool> done(problems.size(), false);
  for (std::size_t first = 0; first < problems.size(); ++first) {
    if (done[first]) continue;
    std::vector<std::size_t> members;
    std::vector<conic::ConicProblem> batch;
    std::vector<conic::WarmStart> warm;
    for (std::size_t i = first; i < problems.size(); ++i) {
      if (done[i] || !(problems[i].cones == problems[first].cones)) continue;
      members.push_back(i);
      batch.push_back(problems[i]);
      if (!warm_starts.empty()) warm.push_back(warm_starts[i]);
      done[i] = true;
    }
    auto solutions = solver.solve(batch, settings, warm);
    if (solutions.size() != batch.size()) throw std::runtime_error("conic backend returned a wrong number of solutions");
    for (std::size_t j = 0; j < members.size(); ++j) out[members[j]] = std::move(solutions[j]);
  }
  return out;
}

}  // namespace isacbf::model_a
