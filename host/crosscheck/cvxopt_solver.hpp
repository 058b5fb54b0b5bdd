#pragma once
// A BatchSolver that hands each problem to CVXOPT's interior-point method through
// scripts/cvxopt_conic_bridge.py (run with /usr/bin/python3). An independent cross-check of the conic
// backends and a way to run model A before/without them; slow (one Python process per chunk).
// Supports zero, non-negative, complex Hermitian PSD and primal exponential cones whose middle row is
// a positive constant (all of model A's problems). Status 'infeasible' comes from conelp's certificate.
#include <memory>
#include <string>

#include "host/conic/batch_solver.hpp"

namespace isacbf::crosscheck {

// True when /usr/bin/python3 can import cvxopt and numpy and the script is found.
bool cvxopt_available();

// processes: Python processes run side by side over the batch (0 = hardware threads).
std::unique_ptr<conic::BatchSolver> make_cvxopt_solver(int processes = 0);

// The bridge script's path: $ISACBF_CVXOPT_SCRIPT, else scripts/cvxopt_conic_bridge.py of this source tree.
std::string cvxopt_script_path();

}  // namespace isacbf::crosscheck
