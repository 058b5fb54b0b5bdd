#pragma once
// The eigendecomposition floor of one ADMM iteration: the H100 cost of a batched complex-double
// Hermitian eigendecomposition per matrix (docs/../shared/spec/solver.md, "Measured floor on one H100").
// An ADMM iteration projects every PSD block, so it cannot cost less than these per block.
namespace isacbf::apps {

// Microseconds per n x n matrix (cusolverDnXsyevBatched, values and vectors, batch 4096-16384).
// Orders between the measured ones (e.g. 9 = K + 1 at K = 8) are interpolated log-log; below 4
// the 4 x 4 value, above 256 extrapolated as n^3 (the cost of a dense eigendecomposition).
double h100_eig_floor_us(int n);

}  // namespace isacbf::apps
