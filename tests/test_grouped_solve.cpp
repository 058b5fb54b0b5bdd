// host/conic/grouped_solve: how a list of problems is cut into backend calls (cone shape and settings for
// every backend; also the sparsity pattern of A for the GPU's device batches), and that solutions come
// back in the input order.
#include <gtest/gtest.h>

#include <vector>

#include "host/common/errors.hpp"
#include "host/conic/grouped_solve.hpp"
#include "lockstep_solver.hpp"

using namespace isacbf;
using namespace isacbf::conic;

namespace {

// min t s.t. t >= value_i (nonneg rows): optimum max(values). With `wide` a second variable z enters the
// objective and the first row, min t + z s.t. t + z >= value_0, t >= value_i: optimum value_0, the same cone
// shape with another sparsity pattern.
ConicProblem max_of(const std::vector<double>& values, bool wide = false) {
  const int m = static_cast<int>(values.size());
  ConicProblem p;
  p.cones.nonneg = m;
  p.A.resize(m, wide ? 2 : 1);
  for (int i = 0; i < m; ++i) p.A.insert(i, 0) = -1.0;
  if (wide) p.A.insert(0, 1) = -1.0;
  p.A.makeCompressed();
  p.b = -Eigen::Map<const Eigen::VectorXd>(values.data(), m);
  p.c = Eigen::VectorXd::Zero(wide ? 2 : 1);
  p.c[0] = 1.0;
  if (wide) p.c[1] = 1.0;
  return p;
}

}  // namespace

TEST(StructureGroups, GroupsByConeShapeAndOnRequestByPattern) {
  const std::vector<ConicProblem> problems{max_of({1, 2}), max_of({3, 1, 2}), max_of({5, 4}, true), max_of({0, 7}),
                                           max_of({2, 2}, true)};
  using Groups = std::vector<std::vector<std::size_t>>;
  EXPECT_EQ(structure_groups(problems, false), (Groups{{0, 2, 3, 4}, {1}}));
  EXPECT_EQ(structure_groups(problems, true), (Groups{{0, 3}, {1}, {2, 4}}));
  EXPECT_TRUE(structure_groups({}, true).empty());
}

TEST(SolveGrouped, OneCallPerConeShapeAndSettingsWithSolutionsInInputOrder) {
  const std::vector<ConicProblem> problems{max_of({1, 2}), max_of({3, 1, 2}), max_of({5, 4}, true), max_of({0, 7})};
  Settings loose;
  loose.eps_abs = loose.eps_rel = 1e-4;
  const std::vector<Settings> settings{Settings{}, Settings{}, Settings{}, loose};
  isacbf::testing::LockstepSolver solver;
  const std::vector<Solution> out = solve_grouped(solver, problems, settings);
  ASSERT_EQ(out.size(), problems.size());
  const double expected[] = {2.0, 3.0, 5.0, 7.0};
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].status, Status::optimal) << i;
    EXPECT_NEAR(out[i].primal_objective, expected[i], 1e-3) << i;
  }
  // {0, 2} (two nonneg rows, default settings; 2 has another pattern, which only the GPU splits), {1}, {3}
  EXPECT_EQ(solver.call_sizes, (std::vector<std::size_t>{2, 1, 1}));
  EXPECT_TRUE(solver.mixed_patterns);
  EXPECT_FALSE(solver.mixed_cones);
  try {
    solve_grouped(solver, problems, std::vector<Settings>(2));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "settings");
  }
}
