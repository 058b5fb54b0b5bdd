#pragma once
// Communication-only baseline with (15a) kept (model-b.md "Communication-only"): with Ns = 0 the
// sensing SCNR must come from data streams the AEs may not hear. This convex relaxation certifies
// infeasibility: with R_x = W W^H relaxed to K Q (Q PSD; averaging the K stream covariances keeps
// every constraint), the SCNR bounded above by L_s |alpha_j|^2 Nr a_j^H R_x a_j / sigma_r^2 (no
// interference, best receiver), it asks for
//   K tr Q <= P,  g_j^H Q g_j <= Gamma_e sigma_e^2,  L_s |alpha_j|^2 Nr K a_j^H Q a_j >= Gamma_s sigma_r^2.
// Infeasible relaxation => (15) with Ns = 0 infeasible. Variables: hvec of Q/P on the design basis.
#include "host/conic/problem.hpp"
#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

conic::ConicProblem build_comm_only_relaxation(const Instance& inst);

}  // namespace isacbf::model_b
