#pragma once
// A BatchSolver backed by CVXOPT (interior point) through scripts/cvxopt_bridge.py and Debian's
// /usr/bin/python3. It is an independent cross-check of the ADMM backends (solver.md "CPU reference":
// different algorithm) and lets the model layers run before/without the ADMM solver. Slow (one
// python process per batch); not for production sweeps.
#include <string>

#include "host/conic/batch_solver.hpp"

namespace isacbf::xcheck {

class CvxoptSolver final : public conic::BatchSolver {
 public:
  // python: interpreter with cvxopt+numpy; script: path of cvxopt_bridge.py (empty: the copy in this
  // source tree, or $ISACBF_CVXOPT_SCRIPT when set).
  explicit CvxoptSolver(std::string python = "/usr/bin/python3", std::string script = {});
  conic::Backend backend() const override { return conic::Backend::cpu; }
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm_starts = {}) override;
  // True when the interpreter imports cvxopt (tests skip otherwise).
  static bool available(const std::string& python = "/usr/bin/python3");

 private:
  std::string python_, script_;
};

}  // namespace isacbf::xcheck
