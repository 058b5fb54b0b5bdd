#pragma once
// What a solve will hold in memory, estimated before anything is allocated, so that a file declaring a
// problem beyond the machine is refused with a message rather than ending in the OOM killer. Counted:
// the iterate vectors and the Anderson pairs, (2 memory + 10) (n + m + 1) doubles; 300 bytes per stored
// entry of A (A, its transpose, the equilibrated copies); the x-system's factor as its plan predicts it
// (linsys_plan.hpp: the dense K and its Cholesky, or the KKT matrix and L with the fill of the symbolic
// analysis, or Woodbury's U); four order^2 matrices per PSD block (the eigendecomposition). Peak RSS against the
// estimate, measured with `isacbf conic FILE --max-iters 200` on this machine: 11.5 / 16.1 GB for 2^26
// free variables, 2.0 / 2.6 GB for one PSD block of order 4096, 0.33 / 0.30 GB for a dense
// 1000 x 1000 A (10^6 entries; the peak includes the reader's), 6.4 / 6.53 GB for an LP of 20,000
// variables with 10 random entries per row (dense x-system, --max-iters 1), and for SDPLIB's largest
// (arch0, 12 MB) the process itself dominates.
#include <cstddef>

#include "host/conic/problem.hpp"

namespace isacbf::conic {

// At least settings.memory_limit_gb (0: the machine's memory) whenever the problem does not fit it; the
// x-system's factor is planned only when the rest fits.
double estimated_memory_bytes(const ConicProblem& problem, const Settings& settings);

// The machine's physical memory in bytes (0 when the system does not say).
double physical_memory_bytes();

// Settings::memory_limit_gb in bytes, or the machine's memory when it is 0 (0: neither is known).
double memory_limit_bytes(const Settings& settings);

// The iterate vectors and Anderson pairs per row and column of the conic form: (2 memory + 10) doubles.
double iterate_bytes_per_entry(const Settings& settings);

}  // namespace isacbf::conic
