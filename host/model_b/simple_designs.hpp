#pragma once
// Reference designs that need no optimisation (demo job, tests, sanity baselines).
#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

// MRT data beams plus isotropic sensing, spending exactly the budget P:
// W = sqrt(comm_fraction P) [h_1 .. h_K] / ||[h_1 .. h_K]||_F, R_s = (1 - comm_fraction) P / Nt * I.
Design mrt_design(const Instance& inst, double comm_fraction = 0.5);

}  // namespace isacbf::model_b
