#pragma once
// Helpers shared by the conic solver tests: building problems from dense blocks.
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/conic/problem.hpp"
#include "kernels/psd.hpp"

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

// min t  s.t.  t I - M >= 0 over one complex Hermitian block (hvec packed): the optimum is lambda_max(M).
inline isacbf::conic::ConicProblem lambda_max_complex(const Eigen::MatrixXcd& M) {
  const int n = static_cast<int>(M.rows());
  isacbf::conic::ConicProblem p;
  p.cones.psd_complex = {n};
  const int m = n * n;
  Eigen::VectorXd hvI(m), hvM(m);
  const Eigen::MatrixXcd I = Eigen::MatrixXcd::Identity(n, n);
  isacbf::kernels::hvec_pack(n, reinterpret_cast<const double*>(I.data()), hvI.data());
  isacbf::kernels::hvec_pack(n, reinterpret_cast<const double*>(M.data()), hvM.data());
  p.A = sparse(-hvI);
  p.b = -hvM;
  p.c = Eigen::VectorXd::Ones(1);
  return p;
}

}  // namespace conic_test
