#include <gtest/gtest.h>

#include "host/common/errors.hpp"
#include "host/conic/problem.hpp"

using namespace isacbf::conic;

TEST(ConeSpec, DimensionCountsEveryCone) {
  ConeSpec k;
  k.zero = 2; k.nonneg = 3; k.soc = {3, 4}; k.psd_real = {3}; k.psd_complex = {2}; k.exp_primal = 1; k.exp_dual = 2;
  EXPECT_EQ(k.dimension(), 2 + 3 + 7 + 6 + 4 + 9);
}

TEST(ConicProblemValidate, RejectsWrongRowCountNamingA) {
  ConicProblem p;
  p.cones.nonneg = 2;
  p.A.resize(3, 1);
  p.b = Eigen::VectorXd::Zero(2);
  p.c = Eigen::VectorXd::Zero(1);
  try {
    validate(p);
    FAIL() << "expected InputError";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "A");
  }
}

namespace {

// A 3 x 2 matrix with entries at the given (row, col) positions, values 1, 2, ... in that order.
Eigen::SparseMatrix<double> with_entries(const std::vector<std::pair<int, int>>& at, bool compressed = true) {
  Eigen::SparseMatrix<double> a(3, 2);
  a.reserve(Eigen::VectorXi::Constant(2, 3));  // leaves the matrix uncompressed until makeCompressed
  double v = 1.0;
  for (auto [i, j] : at) a.insert(i, j) = v++;
  if (compressed) a.makeCompressed();
  return a;
}

}  // namespace

TEST(SparsityPattern, ComparesStoredPositionsNotValuesNorStorage) {
  const auto a = with_entries({{0, 0}, {2, 0}, {1, 1}});
  auto scaled = a;
  scaled *= -7.0;
  EXPECT_TRUE(same_sparsity_pattern(a, scaled));                                      // values differ
  EXPECT_TRUE(same_sparsity_pattern(a, with_entries({{0, 0}, {2, 0}, {1, 1}}, false)));  // uncompressed storage
  EXPECT_FALSE(same_sparsity_pattern(a, with_entries({{0, 0}, {1, 0}, {1, 1}})));       // a moved entry
  EXPECT_FALSE(same_sparsity_pattern(a, with_entries({{0, 0}, {2, 0}})));               // one entry fewer
  EXPECT_FALSE(same_sparsity_pattern(a, with_entries({{0, 0}, {2, 0}, {0, 1}})));       // same count, other column entry
  auto explicit_zero = with_entries({{0, 0}, {2, 0}, {1, 1}, {2, 1}});
  explicit_zero.coeffRef(2, 1) = 0.0;  // stored, so part of the pattern
  EXPECT_FALSE(same_sparsity_pattern(a, explicit_zero));
  EXPECT_FALSE(same_sparsity_pattern(a, Eigen::SparseMatrix<double>(3, 3)));
  EXPECT_TRUE(same_sparsity_pattern(Eigen::SparseMatrix<double>(3, 2), Eigen::SparseMatrix<double>(3, 2)));
}
