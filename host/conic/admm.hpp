#pragma once
// One instance of the conic ADMM (SCS 3.x method on the homogeneous self-dual embedding).
// The algorithm, defaults and termination test are documented in docs/solver.md.
#include "host/conic/problem.hpp"

namespace isacbf::conic {

// The problem must already be valid (validate()). Never throws for numerical trouble: the status
// says what happened (numerical_error with a message). `instance` (>= 0 in a batch) prefixes the lines
// of the progress log (Settings::verbose, host/conic/progress_log.hpp).
Solution solve_admm(const ConicProblem& problem, const Settings& settings, const WarmStart& warm = {},
                    int instance = -1);

}  // namespace isacbf::conic
