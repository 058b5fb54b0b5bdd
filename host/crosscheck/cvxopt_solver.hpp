#pragma once
// A BatchSolver backed by CVXOPT's interior-point methods through scripts/cvxopt_conic_bridge.py and
// Debian's /usr/bin/python3: an independent cross-check of the ADMM backends (solver.md "CPU reference":
// a different algorithm), model A's `--backend cvxopt`, and model B's `--solver cvxopt` and default
// conic solver when CVXOPT is installed. Slow (the problems travel as JSON files to Python processes,
// one per chunk of a batch, several side by side); not for production sweeps.
// Cones: zero, non-negative, second-order, real and complex Hermitian PSD, and primal exponential cones
// whose middle row is a positive constant (all of model A's); a problem with any other exponential
// cone ends numerical_error. 'infeasible' is conelp's certificate (with exponential cones: the
// certificate of the relaxation without them); 'unbounded' is conelp's dual infeasibility.
#include <string>
#include <vector>

#include "host/conic/batch_solver.hpp"

namespace isacbf::crosscheck {

struct CvxoptTolerances {
  double abstol, reltol, feastol;  // CVXOPT's solvers.options of the same names
};

struct CvxoptOptions {
  std::string python = "/usr/bin/python3";  // an interpreter that imports cvxopt and numpy
  std::string script;                         // the bridge; empty: cvxopt_script_path()
  int processes = 0;                          // Python processes run side by side over a batch (0: hardware threads)
  int max_iterations = 200;
  // Tried in order on each problem, the next one only when CVXOPT breaks down (a math domain error on
  // nearly degenerate duals, a singular KKT matrix at the start). Default: tight first.
  std::vector<CvxoptTolerances> tolerances = {{1e-8, 1e-7, 1e-8}, {1e-7, 1e-6, 1e-7}, {1e-6, 1e-5, 1e-6}};
  int refinement = -1;          // iterative refinement steps of the KKT solves; -1: CVXOPT's default
  bool accept_stalled = false;  // CVXOPT's 'unknown' (singular KKT) counts as optimal when it had reached
                                // primal infeasibility < 1e-6, dual infeasibility < 1e-4 and gap < 1e-4

  // For badly scaled problems (model A's P4 at 60 dB SNR): CVXOPT's default tolerances first (tighter
  // ones end in a singular KKT matrix), 3 refinement steps, stalled-but-accurate solves accepted.
  static CvxoptOptions ill_conditioned();
};

class CvxoptSolver final : public conic::BatchSolver {
 public:
  explicit CvxoptSolver(CvxoptOptions options = {});
  conic::Backend backend() const override { return conic::Backend::cpu; }
  // Like the CPU reference, an invalid problem gets numerical_error ("batch[i]: field ...") and the rest are
  // solved; warm_starts of the wrong length throw InputError("warm_starts"). A warm start's x is
  // the start of the exponential-cone solves (it must lie in the log's domain, else the relaxation's
  // point is used); CVXOPT takes no other warm start. Settings: only `verbose` (CVXOPT's progress).
  // Solutions: x when CVXOPT has a point (for 'unbounded' its certificate ray), s = b - A x (-A x for
  // the ray), the objectives, iterations, message "cvxopt: <CVXOPT's status>"; no y.
  std::vector<conic::Solution> solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                     const std::vector<conic::WarmStart>& warm_starts = {}) override;

 private:
  CvxoptOptions options_;
};

// True when options.python imports cvxopt and numpy and the bridge script exists (tests skip otherwise).
bool cvxopt_available(const CvxoptOptions& options = {});

// The bridge script's path: $ISACBF_CVXOPT_SCRIPT, else scripts/cvxopt_conic_bridge.py of this source tree.
std::string cvxopt_script_path();

}  // namespace isacbf::crosscheck
