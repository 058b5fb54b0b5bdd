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
// (arch0, 12 MB) the process itself dominates. A batch of four 2000-variable LPs (dense factor): 81 / 86 MB
// one instance at a time, 158 / 161 MB two, 314 / 299 MB four (estimated_batch_memory_bytes / peak RSS).
#include <cstddef>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::conic {

// At least settings.memory_limit_gb (0: the machine's memory) whenever the problem does not fit it; the
// x-system's factor is planned only when the rest fits. Its two parts below, for a batch of one.
double estimated_memory_bytes(const ConicProblem& problem, const Settings& settings);

// What a problem holds for as long as its batch lives: A, b, c and the solution (12 bytes per entry of A,
// three doubles per row and column).
double held_memory_bytes(const ConicProblem& problem);
// What its solve holds only while it runs: the iterates, A's working copies, the PSD workspaces and the
// x-system's factor, planned within `factor_bytes` (0: the machine's memory).
double working_memory_bytes(const ConicProblem& problem, const Settings& settings, double factor_bytes);

// How many instances of a batch of `batch` the CPU backend solves at once: Settings::threads (0: the
// cores), at most the batch.
std::size_t concurrent_instances(const Settings& settings, std::size_t batch);
// Each of `concurrent` running instances' share of the memory limit (or of the machine's memory): what its
// x-system's factor may take (0: neither is known).
double instance_memory_bytes(const Settings& settings, std::size_t concurrent);
// A batch of which `concurrent` instances run at once: every problem's held memory plus the working memory
// of the `concurrent` largest, each factor planned within its share.
double estimated_batch_memory_bytes(const std::vector<ConicProblem>& problems, const Settings& settings,
                                    std::size_t concurrent);

// The machine's physical memory in bytes (0 when the system does not say).
double physical_memory_bytes();

// Settings::memory_limit_gb in bytes, or the machine's memory when it is 0 (0: neither is known).
double memory_limit_bytes(const Settings& settings);

// The iterate vectors and Anderson pairs per row and column of the conic form: (2 memory + 10) doubles.
double iterate_bytes_per_entry(const Settings& settings);

}  // namespace isacbf::conic
