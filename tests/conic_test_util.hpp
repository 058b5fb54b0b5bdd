#pragma once
// Helpers shared by the conic solver tests: building problems from dense blocks.
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/conic/problem.hpp"

namespace conic_test {

inline Eigen::SparseMatrix<double> sparse(const Eigen::MatrixXd& d) { return d.sparseView(); }

inline isacbf::conic::Solution solve_one(const isacbf::conic::ConicProblem& p, const isacbf::conic::Settings& st) {
  return isacbf::conic::make_cpu_solver()->solve({p}, st).front();
}

inline isacbf::conic::Settings tight() {
  isacbf::conic::Settings st;
  st.eps_abs = st.eps_rel = 1e-8;
  st.threads = 1;
  return st;
}

}  // namespace conic_test
