#pragma once
// The margin t^2 - ||x||^2 of every second-order cone block of a conic problem at a point x, in cone
// order (slack s = b - A x): the tests compare them with the constraints the blocks encode.
#include <Eigen/Dense>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::testing {

inline std::vector<double> soc_margins(const conic::ConicProblem& p, const Eigen::VectorXd& x) {
  const Eigen::VectorXd s = p.b - p.A * x;
  std::vector<double> out;
  int r = p.cones.zero + p.cones.nonneg;
  for (int q : p.cones.soc) {
    out.push_back(s(r) * s(r) - s.segment(r + 1, q - 1).squaredNorm());
    r += q;
  }
  return out;
}

}  // namespace isacbf::testing
