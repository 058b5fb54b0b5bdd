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
