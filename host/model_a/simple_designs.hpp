#pragma once
// Reference designs that need no optimisation (demo job, tests, sanity baselines).
#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

// MRT data beams plus an isotropic sensing covariance, spending exactly the budget P:
// w_k = sqrt(comm_fraction P / K) h_k^H / ||h_k||, S = (1 - comm_fraction) P / Nt * I.
// comm_fraction in [0, 1]; InputError("comm_fraction") otherwise.
Design mrt_design(const Instance& inst, double comm_fraction = 0.5);

}  // namespace isacbf::model_a
